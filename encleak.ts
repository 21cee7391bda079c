import { EmbeddedSentenceEncoder } from './src/encoder/embeddedEncoder';
async function main() {
  const e = new EmbeddedSentenceEncoder();
  await e.encode(['warm']);
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 400; i++) await e.encode([`where is my order number ${round} ${i} please, it is late`]);
    console.log('round', round, 'rss MiB', Math.round(process.memoryUsage().rss / 1048576));
  }
  await (e as unknown as { close?: () => Promise<void> }).close?.();
  process.exit(0);
}
main();
