// Published industry averages for three-reaction surveys, shown beside a site's score.

export interface IndustryBenchmark {
  industry: string;
  label: string;
  /** Share of positive reactions in that industry, in percent. */
  positivePercent: number;
}

export const INDUSTRIES: Readonly<Record<string, IndustryBenchmark>> = Object.freeze({
  'it-services': { industry: 'it-services', label: 'IT Service & Consultancy', positivePercent: 95 },
  telecom: { industry: 'telecom', label: 'Telecom & Info', positivePercent: 71.7 },
});

export function benchmarkFor(industry: string | null): IndustryBenchmark | null {
  return (industry && INDUSTRIES[industry]) || null;
}
