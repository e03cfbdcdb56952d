/**
 * Wire JSON of /ws, one codec per direction: {@link floorcast.live.codec.InboundCodec} validates client messages
 * (protocol.md §1.2, §2, §3–§5) into {@link floorcast.live.codec.ClientMessage} records;
 * {@link floorcast.live.codec.OutboundCodec} renders server messages exactly as §6 and §1.6 show them.
 */
package floorcast.live.codec;
