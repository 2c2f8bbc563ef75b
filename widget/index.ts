// The package entry: importing it registers <csat-badge> and <csat-survey> (once, however often).
export { CsatBadge } from './csat-badge.js';
export { CsatSurvey, type CsatResponseDetail } from './csat-survey.js';
export type { Answer, Asks, Choice, Reaction, Score } from './api-client.js';
export type { SurveyKind } from '../api/domain/kinds.js';
