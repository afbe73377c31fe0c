// Checks Mermaid text with Mermaid's own parser: `node check-mermaid.mjs FILE...`
// (or the text on stdin). Exit 0 when every input parses, 1 with the parse error
// otherwise. Mermaid needs a DOM (DOMPurify); jsdom provides one, no browser.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true });
for (const key of ["window", "document", "navigator", "Element", "HTMLElement", "Node", "DOMParser", "XMLSerializer"]) {
  if (!(key in globalThis)) {
    Object.defineProperty(globalThis, key, { value: key === "window" ? dom.window : dom.window[key], configurable: true, writable: true });
  }
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

const inputs = process.argv.length > 2
  ? process.argv.slice(2).map((f) => [f, readFileSync(f, "utf8")])
  : [["<stdin>", readFileSync(0, "utf8")]];

let failed = false;
for (const [name, text] of inputs) {
  try {
    const result = await mermaid.parse(text);
    if (!result || result.diagramType !== "flowchart-v2") {
      console.error(`${name}: parsed as ${result && result.diagramType}, expected a flowchart`);
      failed = true;
    } else {
      console.log(`${name}: ok (${result.diagramType})`);
    }
  } catch (e) {
    console.error(`${name}: ${e && e.message ? e.message : e}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
