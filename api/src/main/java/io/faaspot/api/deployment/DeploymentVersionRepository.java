package io.faaspot.api.deployment;

import org.springframework.data.jpa.repository.JpaRepository;

interface DeploymentVersionRepository
    extends JpaRepository<DeploymentVersion, DeploymentVersion.Key> {}
