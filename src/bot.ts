/**
 * The bot's entry for the process (src/index.ts) and for tests: `startBot` is the composition
 * root in src/composition/composeBot.ts.
 */
export { composeBot as startBot, type RunningBot, type StartBotOptions } from './composition/composeBot';
