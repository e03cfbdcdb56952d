package floorcast.load.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/** Bytes waiting for a non-blocking socket: written as far as the socket takes them, OP_WRITE while any remain. */
final class WriteQueue {
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();

  void add(ByteBuffer bytes) {
    pending.add(bytes);
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  void flush(SocketChannel channel, SelectionKey key) throws IOException {
    while (!pending.isEmpty()) {
      ByteBuffer head = pending.peek();
      channel.write(head);
      if (head.hasRemaining()) break;
      pending.poll();
    }
    if (key.isValid()) {
      key.interestOps(pending.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }
  }
}
