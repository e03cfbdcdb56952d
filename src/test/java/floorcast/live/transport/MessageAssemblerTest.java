package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** protocol.md §1.2 item 1: the size limit counts UTF-16 code units of the decoded message. */
class MessageAssemblerTest {
  final MessageAssembler assembler = new MessageAssembler(10, 40);

  @Test
  void joinsChunksSplittingAMultiByteCharacter() {
    byte[] bytes = "a€b".getBytes(StandardCharsets.UTF_8);
    assembler.begin();
    assertTrue(assembler.append(ByteString.fromArray(bytes, 0, 2)));
    assertTrue(assembler.append(ByteString.fromArray(bytes, 2, bytes.length - 2)));
    assertEquals("a€b", assembler.finish());
    assertFalse(assembler.inMessage());
  }

  @Test
  void countsSurrogatePairsAsTwoUnits() {
    assembler.begin();
    assertTrue(assembler.append(ByteString.fromString("😀".repeat(5)))); // 10 units, 20 bytes
    assertEquals("😀".repeat(5), assembler.finish());
    assembler.begin();
    assertTrue(assembler.append(ByteString.fromString("😀".repeat(5) + "x")), "the early check is a lower bound");
    assertNull(assembler.finish(), "11 code units: too large");
  }

  @Test
  void rejectsEarlyByCharactersAndByDeclaredFrameLength() {
    assembler.begin();
    assertFalse(assembler.append(ByteString.fromString("x".repeat(11))));
    assembler.begin();
    assertTrue(assembler.admitsFrame(40));
    assertFalse(assembler.admitsFrame(41));
  }

  @Test
  void malformedUtf8IsReplacedNotFatal() {
    assembler.begin();
    assertTrue(assembler.append(ByteString.fromArray(new byte[] {'o', 'k', (byte) 0xFF})));
    assertEquals("ok\uFFFD", assembler.finish());
  }
}
