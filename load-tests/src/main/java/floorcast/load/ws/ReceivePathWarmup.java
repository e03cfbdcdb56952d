package floorcast.load.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Compiles this load process's receive path before the run starts: frame decoding, a dancer's handling of a track
 * broadcast's NOW_PLAYING and TEMPO_RESET, keep-alive Pings and the delivery histograms run on synthetic frames, so
 * the process's JIT is not compiling them during the first broadcasts of the measure window. Without it the load
 * processes' C2 compiler took 29 % of their CPU in the window of a 10,000-dancer run and the decoder and the dancer's
 * message handling were compiled (and recompiled) during the window's first three broadcasts, on the two cores the
 * node under test shares (docs/benchmarks.md "Session 13"). It measures nothing and touches nothing of the run: the
 * dancer it drives belongs to a throw-away {@link LoadRun} with the same options and an event loop that never runs.
 */
final class ReceivePathWarmup {
  private ReceivePathWarmup() {}

  /**
   * Runs up to {@code frames} synthetic frames through the decoder into a dancer, stopping early at
   * {@code deadlineNanos} (nanoTime) so the run's own timeline is never delayed. Returns the frames handled.
   */
  static int run(LoadOptions options, int frames, long deadlineNanos) throws IOException {
    EventLoop idle = new EventLoop();
    try {
      LoadRun scratch = new LoadRun(options, idle);
      Dancer dancer = new Dancer(scratch, 0);
      dancer.assumeSubscribed();
      String sessionId = options.sessionId(0);
      WsFrames.Decoder decoder = new WsFrames.Decoder();
      ByteBuffer in = ByteBuffer.allocate(4096);
      long[] received = new long[1];
      WsFrames.MessageSink sink = (opcode, payload) -> {
        if (opcode == WsFrames.TEXT) dancer.text(new String(payload, StandardCharsets.UTF_8), received[0]);
      };
      byte[] ping = WsFrames.encode(WsFrames.PING, new byte[0], false).array();
      int done = 0;
      for (; done < frames; done++) {
        if ((done & 1023) == 0 && System.nanoTime() >= deadlineNanos) break;
        // the branches of a real run, so none of them is left to a deoptimisation in the window: every fifth block
        // of frames is stamped before the measure window (the warm-up period's broadcasts), the others inside it,
        // 100 µs apart so they fill several series buckets (--series-seconds)
        long stamp = (done >> 10) % 5 == 0
            ? scratch.measureStart - 1_000_000_000L - done
            : scratch.measureStart + done * 100_000L;
        // what a track broadcast brings a dancer (protocol.md's message table): NOW_PLAYING, then TEMPO_RESET (its
        // seq the last field); now and then the server's keep-alive Ping
        String json = done % 2 == 0
            ? "{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + sessionId + "\",\"seq\":" + (done + 2)
                + ",\"djName\":\"Load DJ\",\"track\":{\"title\":" + JsonFields.quote(TrackStamp.title(0, done, stamp))
                + ",\"artist\":\"Load DJ\",\"bpm\":120}}"
            : "{\"type\":\"TEMPO_RESET\",\"sessionId\":\"" + sessionId + "\",\"seq\":" + (done + 2) + "}";
        ByteBuffer frame = done % 64 == 1
            ? ByteBuffer.wrap(ping)
            : WsFrames.encode(WsFrames.TEXT, json.getBytes(StandardCharsets.UTF_8), false);
        received[0] = stamp + 150_000_000L;
        // as ClientSocket reads: into one buffer that decode leaves compacted; every seventh frame in two reads
        if (done % 7 == 0) {
          ByteBuffer head = frame.duplicate().limit(frame.limit() / 2);
          in.put(head).flip();
          decoder.decode(in, 1 << 20, sink);
          frame.position(frame.limit() / 2);
        }
        in.put(frame).flip();
        decoder.decode(in, 1 << 20, sink);
      }
      return done;
    } finally {
      idle.selector.close();
    }
  }
}
