// The package entry: importing it registers <csat-badge> and <csat-survey> (once, however often).
export { CsatBadge } from './csat-badge.js';
export { CsatSurvey, type CsatResponseDetail } from './csat-survey.js';
export type { Answer, Reaction, Score } from './api-client.js';
