/* Python's number formatting and html.escape, in the browser: the explorers' readouts must read
   character for character as the kernel's (f"{x:.4f}", f"{x:.1e}", repr of a character).

   JavaScript's toFixed / toExponential round the exact binary value like Python does, except on an exact
   tie (a value such as 0.03125 that sits exactly halfway): JavaScript rounds it up, Python to the even
   digit. Both are handled here, as are inf, nan and -0.0. */
(function (root) {
  "use strict";

  function nonFinite(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    return null;
  }

  // The exact decimal digits of |x| after the point, far enough to see whether digit `d` is a tie.
  function isTie(digits, d) {
    // digits: the fractional part, exact to well past d + 1 places
    if (digits.charAt(d) !== "5") return false;
    for (let k = d + 1; k < digits.length; k++) if (digits.charAt(k) !== "0") return false;
    return true;
  }

  // f"{x:.{d}f}"
  function fixed(x, d) {
    const bad = nonFinite(x);
    if (bad !== null) return bad;
    const negative = x < 0 || Object.is(x, -0);
    const a = Math.abs(x);
    let s;
    if (a >= 1e21) {
      s = BigInt(Math.round(a)).toString() + (d > 0 ? "." + "0".repeat(d) : "");
    } else {
      s = a.toFixed(d);
      const long = a.toFixed(Math.min(100, d + 40));
      const frac = long.slice(long.indexOf(".") + 1);
      if (isTie(frac, d)) {
        // JavaScript rounded the tie up; Python takes the neighbour whose last digit is even
        let down = long.slice(0, long.indexOf(".") + 1 + d);
        if (d === 0) down = down.slice(0, -1);
        if (Number(down.charAt(down.length - 1)) % 2 === 0) s = down;
      }
    }
    return (negative ? "-" : "") + s;
  }

  // f"{x:.{d}e}"
  function exponent(x, d) {
    const bad = nonFinite(x);
    if (bad !== null) return bad;
    const negative = x < 0 || Object.is(x, -0);
    const a = Math.abs(x);
    let s = a.toExponential(d);
    const long = a.toExponential(Math.min(100, d + 40));
    const mant = long.slice(0, long.indexOf("e"));
    const frac = mant.indexOf(".") >= 0 ? mant.slice(mant.indexOf(".") + 1) : "";
    if (isTie(frac, d)) {
      // JavaScript rounded the tie up; Python takes the neighbour whose last digit is even
      let down = mant.slice(0, (mant.indexOf(".") >= 0 ? mant.indexOf(".") + 1 : mant.length) + d);
      if (d === 0) down = down.replace(/\.$/, "");
      if (Number(down.charAt(down.length - 1)) % 2 === 0) s = down + long.slice(long.indexOf("e"));
    }
    const e = s.indexOf("e");
    let mantissa = s.slice(0, e);
    let exp = Number(s.slice(e + 1));
    const sign = exp < 0 ? "-" : "+";
    exp = Math.abs(exp);
    return (negative ? "-" : "") + mantissa + "e" + sign + (exp < 10 ? "0" : "") + exp;
  }

  // html.escape(s, quote=True)
  function escape(s) {
    return String(s)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;");
  }

  // repr(ch) of a one-character str
  function reprChar(ch) {
    const special = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };
    let body;
    if (special[ch] !== undefined) body = special[ch];
    else {
      const code = ch.codePointAt(0);
      if (code < 0x20 || code === 0x7f) body = "\\x" + code.toString(16).padStart(2, "0");
      else body = ch;
    }
    if (ch === "'") return "\"'\"";
    return "'" + body + "'";
  }

  // f"{s:>{width}}" (code points, like Python's len)
  function rjust(s, width) {
    const n = Array.from(s).length;
    return n >= width ? s : " ".repeat(width - n) + s;
  }

  const api = { fixed, exponent, escape, reprChar, rjust };
  root.PyFormat = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
