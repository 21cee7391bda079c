import { ActivityTypes, type TurnContext } from 'botbuilder';

const REFRESH_MS = 3000;

/**
 * Shows the typing indicator for the duration of one turn: once at the start, then every
 * few seconds until the turn ends. (teams-ai's own timer lives on the Application instance,
 * so concurrent turns would share it; this one is per turn.)
 */
export async function withTyping<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
  if (context.activity.type !== ActivityTypes.Message) return work();
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<unknown> = Promise.resolve();
  const send = () => {
    pending = context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
    return pending;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      if (done) return;
      void send().then(() => !done && schedule());
    }, REFRESH_MS);
    timer.unref();
  };
  await send();
  schedule();
  try {
    return await work();
  } finally {
    done = true;
    clearTimeout(timer);
    await pending;
  }
}
