package floorcast.serialization;

/**
 * Marker for persisted events and snapshots: bound to jackson-json so the journal stays SQL-inspectable
 * (docs/operations.md integrity queries read {@code event_payload} as jsonb). Class names of implementors are
 * Jackson manifests and must never change once persisted.
 */
public interface JsonSerializable {}
