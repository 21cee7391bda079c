import { resolve } from 'node:path';
import { projectRoot } from './projectRoot';

/**
 * Where files live when configuration does not say: every default path, once, absolute from the
 * project root (so `npm run dev`, `npm run ingest` and the tests agree whatever their working
 * directory). A path given in the environment is taken as written (relative = from the cwd).
 */
const root = projectRoot();
export const DEFAULT_PATHS = Object.freeze({
  /** KNOWLEDGE_INDEX_PATH: the embedded knowledge index. */
  knowledgeIndex: resolve(root, '.data', 'knowledge-index.json'),
  /** KNOWLEDGE_DIR: the sample knowledge base ingested on first start. */
  knowledgeDir: resolve(root, 'data', 'knowledge'),
  /** DIRECTORY_FILE: users, groups and their object ids when Graph is off. */
  directoryFile: resolve(root, 'data', 'sample', 'directory.json'),
  /** EMBEDDED_DATA_DIR: the embedded Cosmos-protocol server's write log. */
  embeddedDataDir: resolve(root, '.data', 'cosmos'),
  /** RBAC_POLICY_FILE: roles, tools and permissions. */
  rbacPolicy: resolve(root, 'config', 'rbac.json'),
  /** RETURNS_POLICY_FILE: the returns policy's exceptions (holiday season, members, non-returnable items). */
  returnsPolicy: resolve(root, 'config', 'returns-policy.json'),
});
