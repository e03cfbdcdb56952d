package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientPongFilterTest {
  private static final int TEXT = 0x1;
  private static final int BINARY = 0x2;
  private static final int CONTINUATION = 0x0;
  private static final int CLOSE = 0x8;
  private static final int PING = 0x9;
  private static final int PONG = 0xA;

  private final AtomicInteger seen = new AtomicInteger();
  private final ClientPongFilter filter = new ClientPongFilter(nanos -> seen.incrementAndGet());

  @Test
  void aReadOfOnePongIsConsumedAndCountsAsInbound() {
    assertTrue(consume(frame(0x80 | PONG, 0, true)));
    assertTrue(consume(frame(0x80 | PONG, 125, true)));
    assertEquals(2, seen.get());
  }

  @Test
  void aReadOfSeveralWholePongsIsConsumed() {
    assertTrue(consume(concat(frame(0x80 | PONG, 4, true), frame(0x80 | PONG, 0, true), frame(0x80 | PONG, 9, true))));
    assertEquals(1, seen.get());
  }

  @Test
  void everythingElseGoesToTheStream() {
    assertFalse(consume(frame(0x80 | TEXT, 30, true)));
    assertFalse(consume(frame(0x80 | PING, 3, true)));
    assertFalse(consume(frame(0x80 | CLOSE, 2, true)));
    assertFalse(consume(frame(0x80 | BINARY, 300, true)));
    assertFalse(consume(concat(frame(0x80 | PONG, 0, true), frame(0x80 | TEXT, 5, true))), "a Pong beside a message");
    assertEquals(0, seen.get());
  }

  @Test
  void invalidPongsGoToTheStreamForItsProtocolError() {
    assertFalse(consume(frame(0x80 | PONG, 0, false)), "unmasked");
    assertFalse(consume(frame(PONG, 0, true)), "not FIN");
    assertFalse(consume(frame(0x80 | 0x40 | PONG, 0, true)), "reserved bit");
    assertFalse(consume(frame(0x80 | PONG, 126, true)), "payload over 125 bytes");
    assertEquals(0, seen.get());
    assertTrue(consume(frame(0x80 | PONG, 0, true)), "still in step after them");
  }

  @Test
  void aPongSplitBetweenReadsGoesToTheStreamWhole() {
    byte[] pong = frame(0x80 | PONG, 10, true);
    assertFalse(consume(Arrays.copyOfRange(pong, 0, 1)));
    assertFalse(consume(Arrays.copyOfRange(pong, 1, 7)));
    assertFalse(consume(Arrays.copyOfRange(pong, 7, pong.length)));
    assertTrue(consume(frame(0x80 | PONG, 0, true)));
  }

  @Test
  void framesSplitAnywhereKeepTheFilterInStep() {
    for (int payload : new int[] {0, 5, 125, 126, 300, 65535, 65536, 70000}) {
      byte[] message = frame(0x80 | TEXT, payload, true);
      for (int cut = 1; cut < Math.min(message.length, 20); cut++) {
        assertFalse(consume(Arrays.copyOfRange(message, 0, cut)));
        assertFalse(consume(Arrays.copyOfRange(message, cut, message.length)));
        assertTrue(consume(frame(0x80 | PONG, 0, true)), "a Pong after " + payload + " bytes cut at " + cut);
      }
    }
  }

  @Test
  void aLengthWithItsTopBitSetStopsTheFilter() {
    byte[] header = {(byte) (0x80 | BINARY), (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    assertFalse(consume(header));
    assertFalse(consume(frame(0x80 | PONG, 0, true)), "the stream closes this connection; the filter passes all");
  }

  @Test
  void randomTrafficCutAnywhereLosesNothingAndOnlyPongReadsAreConsumed() {
    Random random = new Random(20261208);
    List<byte[]> reads = new ArrayList<>();
    List<Boolean> pongOnly = new ArrayList<>();
    for (int round = 0; round < 2_000; round++) {
      if (random.nextInt(4) == 0) {
        int pongs = 1 + random.nextInt(3);
        byte[][] frames = new byte[pongs][];
        for (int i = 0; i < pongs; i++) frames[i] = frame(0x80 | PONG, random.nextInt(126), true);
        reads.add(concat(frames));
        pongOnly.add(true);
        continue;
      }
      int[] opcodes = {TEXT, BINARY, CONTINUATION, PING, CLOSE};
      int opcode = opcodes[random.nextInt(opcodes.length)];
      boolean control = (opcode & 0x8) != 0;
      int payload = control ? random.nextInt(126) : random.nextInt(5) == 0 ? random.nextInt(70_000) : random.nextInt(300);
      int first = (random.nextBoolean() || control ? 0x80 : 0) | opcode;
      byte[] bytes = frame(first, payload, random.nextInt(10) != 0);
      int at = 0;
      while (at < bytes.length) { // the frame in random pieces; a piece may end mid-header
        int piece = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 20_000));
        reads.add(Arrays.copyOfRange(bytes, at, at + piece));
        pongOnly.add(false);
        at += piece;
      }
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ByteArrayOutputStream passed = new ByteArrayOutputStream();
    int pongReads = 0;
    for (int i = 0; i < reads.size(); i++) {
      byte[] read = reads.get(i);
      boolean consumed = consume(read);
      assertEquals(pongOnly.get(i), consumed, "read " + i);
      if (pongOnly.get(i)) pongReads++;
      else expected.writeBytes(read);
      if (!consumed) passed.writeBytes(read);
    }
    assertArrayEquals(expected.toByteArray(), passed.toByteArray());
    assertEquals(pongReads, seen.get());
  }

  private boolean consume(byte[] read) {
    ByteBuffer buffer = ByteBuffer.allocate(read.length + 8);
    buffer.position(3).limit(3); // the filter must look at position..limit only, and leave both as they are
    buffer.limit(3 + read.length);
    buffer.put(read).position(3);
    boolean consumed = filter.consume(buffer);
    assertEquals(3, buffer.position());
    assertEquals(3 + read.length, buffer.limit());
    return consumed;
  }

  /** A client frame: {@code first} is its first byte (FIN, RSV, opcode); payload bytes are arbitrary. */
  private static byte[] frame(int first, int payload, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(first);
    int mask = masked ? 0x80 : 0;
    if (payload < 126) {
      out.write(mask | payload);
    } else if (payload <= 0xFFFF) {
      out.write(mask | 126);
      out.write(payload >> 8);
      out.write(payload);
    } else {
      out.write(mask | 127);
      for (int i = 7; i >= 0; i--) out.write((int) ((long) payload >> (8 * i)));
    }
    if (masked) out.writeBytes(new byte[] {0x11, 0x22, 0x33, 0x44});
    byte[] body = new byte[payload];
    Arrays.fill(body, (byte) 0x8A); // looks like a Pong's first byte everywhere: only the headers may tell
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
