#!/usr/bin/env bash
# Offline validation of deploy/ and k8s/ (no cluster, no Docker engine):
#  1. every kustomize overlay rendered with `kubectl kustomize`, every object validated against the Kubernetes
#     schemas (kubernetes-models, from the Kubernetes OpenAPI spec) with unknown fields rejected;
#  2. negative tests: deliberately wrong objects/files must be rejected, or the validator is broken;
#  3. deploy/compose.yaml against the compose-spec JSON schema (+ depends_on / volume / pinned-image checks);
#  4. Dockerfiles parsed and linted (dockerfile-utils) + pinned bases, non-root USER, HEALTHCHECK.
# Tools go to .tools/ (git-ignored): npm packages pinned by deploy/tools/package-lock.json; kubectl from
# Debian's kubernetes-client when none is on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/.tools/deploy-validate
mkdir -p "$tools"

# --- node + npm packages ---
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if ! cmp -s deploy/tools/package-lock.json "$tools/package-lock.json" || [ ! -d "$tools/node_modules" ]; then
  cp deploy/tools/package.json deploy/tools/package-lock.json "$tools/"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
export ABO_VALIDATE_NODE_MODULES=$tools/node_modules
validate() { node deploy/tools/validate.mjs "$@"; }

# --- kubectl (kustomize is built in) ---
kubectl=$(command -v kubectl || true)
if [ -z "$kubectl" ]; then
  if [ ! -x "$tools/kubectl/usr/bin/kubectl" ]; then
    (cd "$tools" && apt-get download kubernetes-client >/dev/null 2>&1 || { apt-get update -qq && apt-get download kubernetes-client >/dev/null; })
    dpkg-deb -x "$tools"/kubernetes-client_*.deb "$tools/kubectl"
  fi
  kubectl=$tools/kubectl/usr/bin/kubectl
fi
echo "kubectl: $("$kubectl" version --client 2>/dev/null | head -1)"

out=$tools/rendered
rm -rf "$out" && mkdir -p "$out"
fail=0

# --- 1. render + validate every overlay ---
for overlay in k8s/overlays/*/; do
  name=$(basename "$overlay")
  if ! "$kubectl" kustomize "$overlay" > "$out/$name.yaml"; then echo "FAIL render $overlay"; fail=1; continue; fi
  validate k8s "$out/$name.yaml" || fail=1
done

# --- 2. negative tests: each must be rejected ---
neg=$out/negative && mkdir -p "$neg"
first=$out/local.yaml
sed 's/readOnlyRootFilesystem: true/readOnlyRootFilesytem: true/' "$first" > "$neg/unknown-field.yaml"      # typo'd field
sed '0,/replicas: 1/s//replicas: one/' "$first" > "$neg/wrong-type.yaml"                                    # wrong type
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports: [{port: 80, targetport: 8080}]\n' > "$neg/unknown-nested.yaml"
sed 's/^    read_only: true/    read_only: true\n    readonly: true/; 0,/read_only: true/s//read_only: true\n  readonly: true/' deploy/compose.yaml > "$neg/compose.yaml"
sed 's/^USER 10001:10001/USER root/' deploy/trainer/Dockerfile > "$neg/Dockerfile"
for f in unknown-field wrong-type unknown-nested; do
  if validate k8s "$neg/$f.yaml" >/dev/null 2>&1; then echo "FAIL negative test $f: the validator accepted it"; fail=1; else echo "ok   negative test $f rejected"; fi
done
if validate compose "$neg/compose.yaml" >/dev/null 2>&1; then echo "FAIL negative compose test accepted"; fail=1; else echo "ok   negative test compose unknown key rejected"; fi
if validate dockerfile "$neg/Dockerfile" >/dev/null 2>&1; then echo "FAIL negative Dockerfile test accepted"; fail=1; else echo "ok   negative test Dockerfile USER root rejected"; fi

# --- 3. compose, 4. Dockerfiles ---
validate compose deploy/compose.yaml || fail=1
mapfile -t dockerfiles < <(find deploy -name 'Dockerfile*' ! -name '*.dockerignore' | sort)
validate dockerfile "${dockerfiles[@]}" || fail=1

[ "$fail" = 0 ] && echo "deploy/k8s validation: OK" || echo "deploy/k8s validation: FAILED"
exit "$fail"
