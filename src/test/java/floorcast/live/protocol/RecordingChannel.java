package floorcast.live.protocol;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import floorcast.live.ClientChannel;
import floorcast.session.SessionMessage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The transport side of a connection as a test sees it: the frames sent, in order, and the close. */
final class RecordingChannel implements ClientChannel {
  record Close(int code, String reason) {}

  private final String id;
  final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  final BlockingQueue<Close> closes = new LinkedBlockingQueue<>();

  RecordingChannel(String id) {
    this.id = id;
  }

  @Override
  public String connectionId() {
    return id;
  }

  @Override
  public void send(String json, SessionMessage message) {
    frames.add(json);
  }

  /** The number of frames of each {@link #sendAll} (frames sent together). */
  final BlockingQueue<Integer> together = new LinkedBlockingQueue<>();

  @Override
  public void sendAll(String[] jsons, SessionMessage[] messages, int count) {
    together.add(count);
    for (int i = 0; i < count; i++) frames.add(jsons[i]);
  }

  @Override
  public void close(int code, String reason) {
    closes.add(new Close(code, reason));
  }

  @Override
  public String clientIp() {
    return "127.0.0.1";
  }

  String next() throws InterruptedException {
    String frame = frames.poll(10, TimeUnit.SECONDS);
    assertNotNull(frame, "expected a frame on " + id);
    return frame;
  }

  Close nextClose() throws InterruptedException {
    Close close = closes.poll(10, TimeUnit.SECONDS);
    assertNotNull(close, "expected a close on " + id);
    return close;
  }
}
