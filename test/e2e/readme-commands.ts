// Reads README.md the way a newcomer does: its fenced code blocks, and the shell commands in its ```sh
// blocks and in inline code (`npx csat ...`, `curl ...`), in the order they appear.

export interface CodeBlock {
  lang: string;
  /** The block's text, with the indentation of its fence (in a list item) removed. */
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The `## ` heading the block sits under. */
  section: string;
}

export interface ReadmeCommand {
  /** As written, continuation lines included, ready for bash. */
  text: string;
  line: number;
  section: string;
  from: 'block' | 'inline';
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.*)$/.exec(lines[i]!);
    if (heading) section = heading[1]!;
    const fence = /^(\s*)```(\S*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const indent = fence[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(Math.min(indent, /^\s*/.exec(lines[j]!)![0].length)));
    if (j === lines.length) throw new Error(`README.md:${i + 1}: code block never closed`);
    blocks.push({ lang: fence[2]!, code: body.join('\n'), line: i + 1, section });
    i = j;
  }
  return blocks;
}

/** One command per logical line: a line ending in `\` goes on; blank and comment-only lines are not
 * commands (a comment under a command shows what it prints). */
function blockCommands(block: CodeBlock): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let pending: { text: string; line: number } | null = null;
  block.code.split('\n').forEach((raw, index) => {
    if (pending) pending.text += `\n${raw}`;
    else if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    else pending = { text: raw, line: block.line + 1 + index };
    if (!raw.endsWith('\\')) {
      commands.push({ ...pending, section: block.section, from: 'block' });
      pending = null;
    }
  });
  return commands;
}

/** Every shell command of the README, in document order: ```sh blocks, and inline code that runs the
 * CLI or calls the API. Other blocks (json, html, css, js, the CLI's usage summary) are not commands. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const blocks = codeBlocks(markdown);
  const commands = blocks.filter((b) => b.lang === 'sh').flatMap(blockCommands);
  const insideBlock = (line: number) => blocks.some((b) => line >= b.line && line <= b.line + b.code.split('\n').length + 1);
  let section = '';
  markdown.split('\n').forEach((text, index) => {
    const heading = /^## (.*)$/.exec(text);
    if (heading) section = heading[1]!;
    if (insideBlock(index + 1)) return;
    for (const match of text.matchAll(/`((?:npx csat|curl) [^`]*)`/g)) commands.push({ text: match[1]!, line: index + 1, section, from: 'inline' });
  });
  return commands.sort((a, b) => a.line - b.line);
}

/** The command without its trailing comment and with single spaces: what the skip list names. */
export function commandName(command: ReadmeCommand): string {
  return command.text.replace(/\s+#\s.*$/, '').replace(/\s+/g, ' ').trim();
}
