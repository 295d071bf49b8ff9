// Reports the release browser bundle's size as the server sends it — the brotli copy beside each
// module (`cargo leptos build --precompress`): the shared module every page loads, and for each
// area of pages (src/pages.rs) what one of its pages loads in all (the shared module, the area's
// module and the chunks it needs, from the split manifest). Exits 1 when a module has no brotli
// copy, the shared module passes SHARED_CEILING or a page's total passes PAGE_CEILING.
// Usage: node scripts/wasm-size.cjs <site>/pkg SHARED_CEILING PAGE_CEILING
const fs = require("fs");
const path = require("path");

const [pkg, sharedCeiling, pageCeiling] = process.argv.slice(2);
const raw = (file) => fs.statSync(path.join(pkg, file)).size;
const brotli = (file) => {
  if (!fs.existsSync(path.join(pkg, `${file}.br`))) {
    console.error(`${file} has no brotli copy (${file}.br): build with --precompress`);
    process.exit(1);
  }
  return raw(`${file}.br`);
};

const shared = { raw: raw("ferriam.wasm"), brotli: brotli("ferriam.wasm") };
console.log(`ferriam.wasm (release, shared by every page): ${shared.raw} bytes raw, ${shared.brotli} bytes brotli (ceiling ${sharedCeiling})`);

const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "__wasm_split_manifest.json"), "utf8"));
let largest = 0;
for (const [area, modules] of Object.entries(manifest).sort()) {
  const files = modules.map((module) => `${module}.wasm`);
  const total = shared.brotli + files.reduce((sum, file) => sum + brotli(file), 0);
  largest = Math.max(largest, total);
  console.log(`  a page of ${area.replace(/_\d+$/, "")}: ${total} bytes brotli in ${files.length + 1} files`);
}
const everything = fs.readdirSync(pkg).filter((file) => file.endsWith(".wasm"));
console.log(`  all ${everything.length} modules: ${everything.reduce((sum, file) => sum + brotli(file), 0)} bytes brotli (page ceiling ${pageCeiling})`);

if (Object.keys(manifest).length === 0) {
  console.error("the bundle was not split (no lazy page modules in the manifest)");
  process.exit(1);
}
if (shared.brotli > Number(sharedCeiling)) {
  console.error("the shared release wasm grew past its ceiling");
  process.exit(1);
}
if (largest > Number(pageCeiling)) {
  console.error("a page's release wasm grew past the ceiling");
  process.exit(1);
}
