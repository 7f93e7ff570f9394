/**
 * House rules ESLint has no rule for, as a local plugin (`house/…` in eslint.config.js; tested by
 * test/unit/lint/houseRules.test.ts).
 */

/** The number an expression of numeric literals stands for (`60_000`, `-1`, `72 * 3_600_000`), else undefined. */
function numberOf(node) {
  if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
  if (node.type === 'UnaryExpression' && (node.operator === '-' || node.operator === '+')) {
    const inner = numberOf(node.argument);
    return inner === undefined ? undefined : node.operator === '-' ? -inner : inner;
  }
  if (node.type === 'BinaryExpression' && ['*', '/', '+', '-'].includes(node.operator)) {
    const [a, b] = [numberOf(node.left), numberOf(node.right)];
    return a === undefined || b === undefined ? undefined : 1; // any value but 0: a computed default
  }
  return undefined;
}

/**
 * `x ?? 60_000`, `x || 5`, `x ??= 8`: a bound or timing chosen where it is used, out of sight of docs/CONFIG.md.
 * A default lives in src/config (typed, documented, overridable); a value that is no tunable is a named
 * constant whose comment says why. `?? 0` stays: an absent count is zero, not a choice.
 */
const noNumericFallback = {
  meta: {
    type: 'suggestion',
    docs: { description: 'no numeric `??` / `||` fallbacks outside src/config' },
    schema: [],
    messages: {
      fallback: 'numeric fallback `{{operator}} {{text}}`: declare the default in src/config (typed, in docs/CONFIG.md), or name the constant and say why it is one',
    },
  },
  create(context) {
    const check = (node, operator, right) => {
      const value = numberOf(right);
      if (value === undefined || value === 0) return;
      context.report({ node: right, messageId: 'fallback', data: { operator, text: context.sourceCode.getText(right) } });
    };
    return {
      LogicalExpression(node) {
        if (node.operator === '??' || node.operator === '||') check(node, node.operator, node.right);
      },
      AssignmentExpression(node) {
        if (node.operator === '??=' || node.operator === '||=') check(node, node.operator, node.right);
      },
    };
  },
};

export default { rules: { 'no-numeric-fallback': noNumericFallback } };
