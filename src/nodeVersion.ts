/** Imported first by src/main.ts and run by `npm start`, so an older Node stops with one line naming the cause. A test holds package.json and .nvmrc to it. */
export const MIN_NODE = { major: 22, minor: 12 } as const;

/** null when it will do. */
export function nodeTooOld(version: string): string | null {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return null;
  return `DeepStream Realtime needs Node ${MIN_NODE.major}.${MIN_NODE.minor} or newer; this is Node ${version} (see .nvmrc, e.g. \`nvm install\`).`;
}

const tooOld = nodeTooOld(process.versions.node);
if (tooOld) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}
