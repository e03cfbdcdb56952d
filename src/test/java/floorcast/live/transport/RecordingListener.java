package floorcast.live.transport;

import floorcast.live.FeedListener;
import floorcast.live.RenderedMessage;
import floorcast.session.SessionFeed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fan-out listener that records what it is handed (stands for a connection's protocol logic). */
final class RecordingListener implements FeedListener {
  final String id;
  final List<RenderedMessage> messages = new CopyOnWriteArrayList<>();
  /** The thread each message was handed over on. */
  final List<String> threads = new CopyOnWriteArrayList<>();
  final List<SessionFeed.Recovered> recovered = new CopyOnWriteArrayList<>();
  final List<SessionFeed.DjRoleRevoked> revoked = new CopyOnWriteArrayList<>();

  RecordingListener(String id) {
    this.id = id;
  }

  @Override
  public String connectionId() {
    return id;
  }

  @Override
  public boolean onMessage(RenderedMessage message) {
    threads.add(Thread.currentThread().getName());
    messages.add(message);
    return true;
  }

  /** The size of each batch handed over at once ({@link #onMessages}). */
  final List<Integer> batches = new CopyOnWriteArrayList<>();

  @Override
  public int onMessages(List<RenderedMessage> batch) {
    batches.add(batch.size());
    for (RenderedMessage m : batch) onMessage(m);
    return batch.size();
  }

  @Override
  public void onRecovered(SessionFeed.Recovered r) {
    recovered.add(r);
  }

  @Override
  public void onDjRoleRevoked(SessionFeed.DjRoleRevoked r) {
    revoked.add(r);
  }

  /** The seq of each message handed over, in order. */
  List<Long> seqs() {
    return messages.stream().map(m -> m.message().seq()).toList();
  }

  boolean hasJson(String fragment) {
    return messages.stream().anyMatch(m -> m.json().contains(fragment));
  }
}
