// An independent evaluator of formula tokens (spec §2), for tests only: it checks that the
// formula the page shows computes the number torch computed. Every function is written
// here from the mathematics; nothing is imported from the app.
//
// Grammar (precedence low → high), a recursive descent over the flat tokens:
//   expr    := [+|−] term ((+|−) term)*          unary − at the start or after an opener
//   term    := unit ((·|/) unit | unit)*          juxtaposition multiplies: 2(ŷ − y), z(1 − z)
//   unit    := √ unit | fn postfix | postfix      √ and fn apply to the next operand
//   postfix := primary ²*                         ² binds tighter than fn application
//   primary := num | sym | d | var | (expr, …) | [expr, …]

/** Thrown for a form that elides terms ("…"): its value cannot be recomputed from it. */
export class Elided extends Error {}

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);

// erfc by the continued fraction e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))), for x > 0,
// evaluated with the modified Lentz method (used from x = 1: 1 − erf would cancel there).
function erfcFraction(x) {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 1000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) <= Number.EPSILON) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

// erf by the series 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): every term positive,
// so no cancellation, for |x| < 2.
function erfSeries(x) {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/** The error function, to about 1e-15. */
export function erf(x) {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 2) return erfSeries(x);
  const tail = erfcFraction(Math.abs(x));
  return x > 0 ? 1 - tail : tail - 1;
}

/** The complementary error function 1 − erf(x), accurate in the far tail too. */
export function erfc(x) {
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return erfcFraction(x);
  if (x <= -1) return 2 - erfcFraction(-x);
  return 1 - erfSeries(x);
}

const sigmoid = (s) => (s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s)));
const Phi = (s) => 0.5 * erfc(-s / SQRT2);
const phi = (s) => Math.exp((-s * s) / 2) / Math.sqrt(2 * Math.PI);

/** The functions a formula may apply, by the name its fn token carries. */
export const FUNCTIONS = Object.freeze({
  id: (s) => s,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  "tanh′": (s) => 1 - Math.tanh(s) ** 2,
  σ: sigmoid,
  "σ′": (s) => sigmoid(s) * (1 - sigmoid(s)),
  ReLU: (s) => (s > 0 ? s : 0),
  "ReLU′": (s) => (s > 0 ? 1 : 0),
  LeakyReLU: (s, alpha) => (s > 0 ? s : alpha * s),
  "LeakyReLU′": (s, alpha) => (s > 0 ? 1 : alpha),
  Φ: Phi,
  "Φ′": phi,
  GELU: (s) => s * Phi(s),
  "GELU′": (s) => Phi(s) + s * phi(s),
  SiLU: (s) => s * sigmoid(s),
  "SiLU′": (s) => sigmoid(s) * (1 + s * (1 - sigmoid(s))),
});

const OPENERS = { "(": ")", "[": "]" };

/**
 * The number a token list computes. value(address) gives the number of a sym or d token;
 * vars[name] the number of a registry template's placeholder (var token).
 */
export function evaluate(tokens, value, vars = {}) {
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (t, ...ops) => t?.t === "op" && ops.includes(t.s);
  const fail = (why) => {
    throw new SyntaxError(`${why} at token ${pos} (${JSON.stringify(tokens[pos] ?? "end")})`);
  };
  const number = (v) => (Array.isArray(v) ? fail("an argument list is not a number") : v);

  function lookup(t) {
    if (t.a == null) fail("a symbol without an address has no value");
    const v = value(t.a);
    if (typeof v !== "number") fail(`no number at ${t.a} (got ${JSON.stringify(v)})`);
    return v;
  }

  function primary() {
    const t = tokens[pos++];
    if (t === undefined) fail("an operand is missing");
    if (t.t === "num") return t.v;
    if (t.t === "sym" || t.t === "d") return lookup(t);
    if (t.t === "var") {
      if (!(t.s in vars)) fail(`no value for the placeholder ${t.s}`);
      return vars[t.s];
    }
    if (isOp(t, "…")) throw new Elided("the form elides terms");
    if (!isOp(t, "(", "[")) fail("an operand is expected");
    const items = [expr()];
    while (isOp(peek(), ",")) {
      pos++;
      items.push(expr());
    }
    if (!isOp(peek(), OPENERS[t.s])) fail(`${OPENERS[t.s]} is expected`);
    pos++;
    return items.length === 1 ? items[0] : items;
  }

  function postfix() {
    let v = primary();
    while (isOp(peek(), "²")) {
      pos++;
      v = number(v) ** 2;
    }
    return v;
  }

  function unit() {
    const t = peek();
    if (isOp(t, "√")) {
      pos++;
      return Math.sqrt(unit());
    }
    if (t?.t === "fn") {
      pos++;
      const f = FUNCTIONS[t.s];
      if (!f) fail(`no reference implementation of ${t.s}`);
      const args = [postfix()].flat();
      if (args.length !== f.length) fail(`${t.s} takes ${f.length} argument(s), got ${args.length}`);
      return f(...args);
    }
    return number(postfix());
  }

  const startsOperand = (t) => t !== undefined && (t.t !== "op" || ["(", "[", "√"].includes(t.s));

  function term() {
    let v = unit();
    for (;;) {
      const t = peek();
      if (isOp(t, "·", "/")) {
        pos++;
        v = t.s === "·" ? v * unit() : v / unit();
      } else if (startsOperand(t)) {
        v *= unit();
      } else {
        return v;
      }
    }
  }

  function expr() {
    const sign = isOp(peek(), "−", "+") ? tokens[pos++].s : "+";
    let v = sign === "−" ? -term() : term();
    while (isOp(peek(), "+", "−")) {
      const t = tokens[pos++];
      v = t.s === "+" ? v + term() : v - term();
    }
    return v;
  }

  const v = expr();
  if (pos < tokens.length) fail("unexpected token");
  return v;
}
