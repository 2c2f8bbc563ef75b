// Published industry averages for three-reaction surveys, shown beside a site's score.

export interface IndustryBenchmark {
  industry: string;
  label: string;
  /** Share of positive reactions in that industry, in percent: compared with a site's share, never its score. */
  positivePercent: number;
  /** Where the figure comes from, shown beside it. */
  source: string;
}

const SOURCE = 'published industry averages of three-reaction surveys';

export const INDUSTRIES: Readonly<Record<string, IndustryBenchmark>> = Object.freeze({
  'it-services': { industry: 'it-services', label: 'IT Service & Consultancy', positivePercent: 95, source: SOURCE },
  telecom: { industry: 'telecom', label: 'Telecom & Info', positivePercent: 71.7, source: SOURCE },
});

export function benchmarkFor(industry: string | null): IndustryBenchmark | null {
  return (industry && INDUSTRIES[industry]) || null;
}
