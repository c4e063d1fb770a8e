/**
 * A commit message as git hands it to the commit-msg hook: it may still carry the editor's comment
 * lines ("# On branch …" names the branch!) and, with `commit -v`, a diff below the scissors line.
 * Git strips those after the hook runs, so the guard strips them first. Comment lines are blanked,
 * not removed, so line numbers still match the file.
 */

const SCISSORS = ' ------------------------ >8 ------------------------';

export function commitMessageText(raw: string, commentChar = '#'): string {
  const lines = raw.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (commentChar && line.startsWith(commentChar)) {
      if (line.slice(commentChar.length) === SCISSORS) break;
      out.push('');
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}
