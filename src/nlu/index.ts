export { INTENTS, OUT_OF_SCOPE, isIntentId } from './intents';
export type { IntentId, IntentPrediction, LabelledExample } from './intents';
export { IntentClassifier } from './classifier';
export type { IntentClassifierOptions, IntentClassifierInfo, CalibrationOptions } from './classifier';
export { loadClincFile, parseClincPairs } from './clincFormat';
export { extractEntities } from './entities';
export type { ExtractedEntities, Priority, Category } from './entities';
export { loadNluDataset, splitDataset, DEFAULT_NLU_DATASET_DIR } from './dataset';
export type { NluDataset } from './dataset';
export { createBotIntentModel, BOT_MODEL_OPTIONS } from './botModel';
export { soundsFrustrated } from './frustration';
export {
  CHINESE_MODEL_OPTIONS,
  createChineseIntentModel,
  loadChineseNluDataset,
  splitChineseDataset,
} from './chineseModel';
export { LanguageIntentModels, createLanguageIntentModels } from './languageModels';
export type { TurnIntentModel } from './languageModels';
export { extractChineseEntities, extractEntitiesFor } from './entitiesZh';
