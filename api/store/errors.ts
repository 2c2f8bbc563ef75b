// Errors a store raises for a request that cannot be carried out as asked. They carry a stable code the
// HTTP layer turns into a 4xx; anything else escaping a store is a bug.

export class ConflictError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface ImportProblem {
  line: number;
  message: string;
}

export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.message}`).join('\n'));
    this.name = 'ImportError';
  }
}
