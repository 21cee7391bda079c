import * as Mappers from 'botframework-connector/lib/connectorApi/models/mappers';

/**
 * botframework-connector 4.23 serialises `activity.entities` with the `Entity` model mapper,
 * which declares only `type`, `text` and `mentioned`; the serializer resolves the mapper by
 * class name and so drops every other property — the Teams citation entity (`@type`,
 * `citation`, `additionalType`) arrives as `{ type }` only. Declaring that Entity may carry
 * additional properties (as the Activity mapper already intends) keeps them on the wire.
 */
export function keepEntityPropertiesOnTheWire(): void {
  const entity = Mappers.Entity as { type: { additionalProperties?: unknown } };
  entity.type.additionalProperties ??= { type: { name: 'Object' } };
}
