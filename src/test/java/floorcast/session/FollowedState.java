package floorcast.session;

import java.time.Instant;

/** A live session state and a {@link MapTally}, moved together through events as the entity's event handler does. */
class FollowedState<T extends MapTally<?>> {
  static final SessionSettings SETTINGS = SessionSettings.defaults();
  static final Instant T0 = Instant.parse("2026-12-06T20:00:00Z");

  SessionState state =
      SessionState.empty()
          .apply(new SessionEvent.SessionCreated("s1", "DJ", null, "client_dj", false, T0, "0.3.0", "c1"), SETTINGS);
  final T tally;

  FollowedState(T tally) {
    this.tally = tally;
  }

  void apply(SessionEvent event) {
    SessionState after = state.apply(event, SETTINGS);
    tally.advance(state, event, after);
    state = after;
  }
}
