import { randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';

const SECRET_PARTITION = 'secrets';

/**
 * A random secret shared by every instance that uses the same Cosmos database, created once
 * (create-if-absent: the first instance wins, the others read its value). Used to sign draft
 * ticket cards so a card drawn by one instance can be confirmed on another, without putting a
 * secret into app settings. Access is governed by the Cosmos data-plane role, like the data it guards.
 */
export async function loadOrCreateSharedSecret(container: Container, name: string): Promise<string> {
  const id = `secret-${name}`;
  const existing = await readValue(container, id);
  if (existing) return existing;
  const value = randomBytes(32).toString('hex');
  try {
    await container.items.create({ id, pk: SECRET_PARTITION, kind: 'shared-secret', value });
    return value;
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    const winner = await readValue(container, id);
    if (!winner) throw err;
    return winner;
  }
}

async function readValue(container: Container, id: string): Promise<string | undefined> {
  try {
    const { resource } = await container.item(id, SECRET_PARTITION).read<{ value?: string }>();
    return typeof resource?.value === 'string' && resource.value.length >= 32 ? resource.value : undefined;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}
