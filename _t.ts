import { createBotIntentModel } from './src/nlu/botModel';
import { createChineseIntentModel } from './src/nlu/chineseModel';
void (async () => {
let t = Date.now(); await createBotIntentModel(); console.log('en ms', Date.now()-t);
t = Date.now(); await createChineseIntentModel(); console.log('zh ms', Date.now()-t);
})();
