package io.faaspot.api.deployment;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface DeploymentRepository extends JpaRepository<Deployment, Long> {
  Optional<Deployment> findByAccountIdAndName(long accountId, String name);

  boolean existsByAccountIdAndName(long accountId, String name);

  List<Deployment> findByAccountIdOrderByNameAsc(long accountId);
}
