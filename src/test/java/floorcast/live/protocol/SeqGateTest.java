package floorcast.live.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** protocol.md §1.5 on one connection: a session's messages pass only with a seq above every seq passed before. */
class SeqGateTest {
  @Test
  void dropsRepeatsAndOlderSeqsPerSession() {
    SeqGate gate = new SeqGate();
    assertTrue(gate.pass("a", 5));
    assertFalse(gate.pass("a", 5));
    assertFalse(gate.pass("a", 4));
    assertTrue(gate.pass("b", 1), "sessions are independent");
    assertTrue(gate.pass("a", 9));
  }

  @Test
  void messagesWithoutSeqAlwaysPass() {
    SeqGate gate = new SeqGate();
    assertTrue(gate.pass("a", 10));
    assertTrue(gate.pass("a", 0));
    assertTrue(gate.pass("a", 0));
    assertTrue(gate.pass(null, 0));
  }

  @Test
  void sessionsNeverPassedAreNotRememberedByPassIfKnown() {
    SeqGate gate = new SeqGate();
    assertTrue(gate.passIfKnown("lobby", 7));
    assertTrue(gate.passIfKnown("lobby", 7), "no entry was made");
    assertTrue(gate.pass("dj", 10));
    assertFalse(gate.passIfKnown("dj", 10), "a session once attached keeps deduplicating");
    assertTrue(gate.passIfKnown("dj", 11));
  }
}
