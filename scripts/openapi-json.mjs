// docs/openapi.yaml as JSON, for GET /openapi.json (run by the Makefile at build time): the same
// document, its YAML anchors resolved.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

const [, , source] = process.argv;
process.stdout.write(JSON.stringify(load(readFileSync(source, 'utf8'))) + '\n');
