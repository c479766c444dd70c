#!/bin/sh
# Writes OpenSRE's integrations store (version 2) from the Grafana URL in the
# environment and the agent token mounted from the host, so the token never
# passes through the container's environment, image or Terraform state.
# An LLM API key, when a cloud provider is configured, is read the same way.
set -eu
token_file=/run/secrets/grafana-token
if [ ! -s "$token_file" ]; then
  echo "lab-entrypoint: $token_file is missing or empty: the lab stack provisions it (cdktf deploy lab)" >&2
  exit 1
fi
umask 077
mkdir -p "$HOME/.tracer"
GRAFANA_TOKEN="$(cat "$token_file")" python3 - <<'PY'
import json, os
store = {
    "version": 2,
    "integrations": [{
        "id": "grafana-lab",
        "service": "grafana",
        "status": "active",
        "instances": [{
            "name": "cms-lab",
            "tags": {},
            "credentials": {"endpoint": os.environ["GRAFANA_URL"], "api_key": os.environ["GRAFANA_TOKEN"]},
        }],
    }],
}
with open(os.path.join(os.environ["HOME"], ".tracer", "integrations.json"), "w") as f:
    json.dump(store, f, indent=2)
PY
if [ -s /run/secrets/llm-api-key ] && [ -n "${LLM_API_KEY_VARIABLE:-}" ]; then
  export "$LLM_API_KEY_VARIABLE=$(cat /run/secrets/llm-api-key)"
fi
exec "$@"
