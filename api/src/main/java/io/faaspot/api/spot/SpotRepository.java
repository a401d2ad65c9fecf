package io.faaspot.api.spot;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface SpotRepository extends JpaRepository<Spot, UUID> {
  List<Spot> findByAccountIdAndStateNotOrderByCreatedAtAsc(long accountId, SpotState state);

  default List<Spot> live(long accountId) {
    return findByAccountIdAndStateNotOrderByCreatedAtAsc(accountId, SpotState.Terminated);
  }

  Optional<Spot> findFirstByAccountIdAndIpAndStateNot(long accountId, String ip, SpotState state);

  default Optional<Spot> liveByIp(long accountId, String ip) {
    return findFirstByAccountIdAndIpAndStateNot(accountId, ip, SpotState.Terminated);
  }

  Optional<Spot> findByRegistrationSecretHash(byte[] hash);

  List<Spot> findByStateAndProviderOrderByCreatedAtAsc(SpotState state, String provider);

  List<Spot> findByStateOrderByCreatedAtAsc(SpotState state);

  boolean existsByAccountIdAndState(long accountId, SpotState state);

  default boolean hasReadySpot(long accountId) {
    return existsByAccountIdAndState(accountId, SpotState.Ready);
  }
}
