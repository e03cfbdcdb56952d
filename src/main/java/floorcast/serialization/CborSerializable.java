package floorcast.serialization;

/** Marker for messages that cross the cluster (commands, replies, published updates): bound to jackson-cbor. */
public interface CborSerializable {}
