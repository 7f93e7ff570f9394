/**
 * The share page speaks of the owner, not to the visitor: the journal's insights are written for the listener
 * ("You're exploring the evolution of Afrobeat"), and a visitor reading "you" would think it meant them.
 */

/** An insight in the owner's voice: "You're …" → "Ngozi is …", "your" → "Ngozi's". */
export function inOwnersVoice(text: string, owner: string): string {
  return text
    .replace(/^You're\b/, `${owner} is`)
    .replace(/^You've\b/, `${owner} has`)
    .replace(/^You\b/, owner)
    .replace(/\byour\b/gi, `${midSentence(owner)}'s`);
}

/** The server's stand-in for an owner with no name ("A listener") is lower case inside a sentence. */
function midSentence(owner: string): string {
  return owner === 'A listener' ? 'a listener' : owner;
}
