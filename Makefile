# atrest: the two commands are `make demo` and `make test`; everything they need is installed from here.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

JAVA_HOME := $(shell $(ROOT)/scripts/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK >= 21 found: see the message above)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)

VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
SAM := $(VENV)/bin/sam
CFN_LINT := $(VENV)/bin/cfn-lint
# checkov pins an older boto3 than the SAM CLI: it gets its own virtualenv.
CHECKOV_VENV := $(ROOT)/.venv-checkov
MVN := mvn -B -q -Datrest.python=$(PY)
# The SAM CLI must not phone home from tests or CI.
export SAM_CLI_TELEMETRY := 0

.PHONY: help setup build ric sam-build lint unit-test emulator-test e2e-test checks test test-full sized-tests \
        org-full-test demo invoke bench clean org-package org-package-arguments build-S3ReencryptFunction \
        build-KmsRotationFunction build-StorageAuditFunction build-S3BackfillFunction

help:
	@echo "make demo    run the four functions end to end against the local emulator"
	@echo "make test    install tools, build, run unit/integration/emulator/e2e tests, lint, sam build"
	@echo "make test-full   make test, then the race/storm/chaos tests at full size (CI runs both)"
	@echo "make invoke FN=<LogicalId> EVENT=<file>   run a built function locally (no Docker)"
	@echo "make bench   benchmarks (not part of make test)"
	@echo "make org-package ARTIFACT_BUCKET_PREFIX=<prefix> ORG_REGIONS=<region,...>   package for StackSets (README)"

# ---------------------------------------------------------------- tools
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q -r requirements-checkov.txt
	touch $@

# ---------------------------------------------------------------- build
build:
	$(MVN) install -DskipTests

ric: tools/ric/target/lib/.fetched

tools/ric/target/lib/.fetched: tools/ric/pom.xml
	cd tools/ric && $(MVN) package
	touch $@

# SAM's makefile builder calls these with ARTIFACTS_DIR set (CodeUri is the project root; see samconfig.toml:
# build_in_source avoids copying the tree). The Lambda Java layout is lib/*.jar: the module's `mvn package` output.
# Each artifact is built once: when the module's jar is newer than every source and pom it depends on (make test
# has just run `mvn install`), it is copied as it is; otherwise Maven builds it first.
define lambda_artifact
	@jar=$$(ls functions/$(1)/target/atrest-$(1)-*.jar 2>/dev/null | head -1 || true); \
	if [ -z "$$jar" ] || [ ! -d functions/$(1)/target/lambda/lib ] || [ -n "$$(find pom.xml functions/core/pom.xml \
	    functions/core/src/main functions/$(1)/pom.xml functions/$(1)/src/main -newer "$$jar" -print -quit)" ]; then \
	  rm -rf functions/$(1)/target/lambda && $(MVN) -pl functions/$(1) -am package -DskipTests; \
	else echo "$(1): up to date ($$jar)"; fi
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/$(1)/target/lambda/lib/*.jar functions/$(1)/target/atrest-$(1)-*.jar "$(ARTIFACTS_DIR)/lib/"
endef

build-S3ReencryptFunction:
	$(call lambda_artifact,s3-reencrypt)

build-KmsRotationFunction:
	$(call lambda_artifact,kms-rotation)

build-StorageAuditFunction:
	$(call lambda_artifact,storage-audit)

build-S3BackfillFunction:
	$(call lambda_artifact,s3-backfill)

sam-build: setup
	$(SAM) build --build-in-source

# ---------------------------------------------------------------- checks
lint: setup $(CHECKOV_VENV)/.installed
	$(CFN_LINT) template.yaml
	$(SAM) validate --lint
	# --skip-download: no calls to the vendor's API; every suppression is justified in template.yaml Metadata.
	$(CHECKOV_VENV)/bin/checkov -f template.yaml --framework cloudformation --compact --quiet --skip-download
	# The organisation templates, and the member template (translated offline, placeholder code keys).
	$(PY) tools/org_package.py --template-only --bucket-prefix atrest-artifacts --regions us-east-1,eu-west-1 \
	  --out .aws-sam/org-lint > /dev/null
	$(CFN_LINT) org/stackset.yaml org/artifact-bucket.yaml .aws-sam/org-lint/member-template.json
	$(CHECKOV_VENV)/bin/checkov -f org/stackset.yaml -f org/artifact-bucket.yaml \
	  -f .aws-sam/org-lint/member-template.json --framework cloudformation --compact --quiet --skip-download

unit-test: setup
	# Not quiet: Surefire's per-class counts and totals are the record of what ran. Two modules at a time once core
	# is built (-T 2): a module's tests wait on its emulator much of the time.
	mvn -B -ntp -T 2 -Datrest.python=$(PY) install

emulator-test: setup
	$(VENV)/bin/pytest -q emulator/tests

e2e-test: setup ric sam-build
	$(VENV)/bin/pytest -q tests

# Lint, then the emulator's own tests: the lane that runs beside the Java build in make test.
checks: setup $(CHECKOV_VENV)/.installed
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory emulator-test

# Every correctness check. The Java build and tests run beside lint and the emulator's tests (two lanes, each
# output printed whole when it ends): each lane waits much of its time on the emulator's or the JVM's I/O, so on two
# cores the pair takes little more than the longer one (checkov's own venv is installed in the lint lane, beside the
# Java build). The end-to-end tests need the Java build's artifacts.
test: setup ric
	$(MAKE) --no-print-directory -j2 --output-sync=target unit-test checks
	$(MAKE) --no-print-directory e2e-test
	@echo "make test: all checks passed"

# make test, then the race, storm and chaos tests again at the sizes that measure rates over many interleavings
# (TestSize in core's test support; tests tagged "sized") and the audit's 16,000-resource scale test, and the
# organisation roll-out test with the real artifacts packaged. CI runs both.
test-full: test sized-tests org-full-test
	@echo "make test-full: all checks passed"

sized-tests: setup
	mvn -B -ntp -Datrest.python=$(PY) -Datrest.fullSize=true -Dgroups=sized,scale -Daudit.excludedGroups= \
	    -Dsurefire.failIfNoSpecifiedTests=false test

# The organisation roll-out test again with the real `sam build` artifacts packaged (make test packages stand-ins:
# what SAM zips does not change what that test checks).
org-full-test: setup ric sam-build
	ATREST_ORG_FULL=1 $(VENV)/bin/pytest -q tests/test_org_rollout.py

# ---------------------------------------------------------------- organisation roll-out
# README "Roll out to an organisation": build once, `sam package` to the home Region's artifact bucket
# (<prefix>-<region>), S3 copies to the other Regions' buckets, the member template translated to plain
# CloudFormation. Uses the caller's AWS credentials; the buckets must exist (org/artifact-bucket.yaml).
org-package: org-package-arguments setup sam-build
	$(PY) tools/org_package.py --bucket-prefix "$(ARTIFACT_BUCKET_PREFIX)" --regions "$(ORG_REGIONS)" \
	  $(if $(HOME_REGION),--home-region "$(HOME_REGION)")
	$(CFN_LINT) .aws-sam/org/member-template.json

org-package-arguments:
	@test -n "$(ARTIFACT_BUCKET_PREFIX)" -a -n "$(ORG_REGIONS)" || { echo "usage: make org-package" \
	  "ARTIFACT_BUCKET_PREFIX=<prefix> ORG_REGIONS=<region,...> [HOME_REGION=<region>]"; exit 2; }

# ---------------------------------------------------------------- running
invoke: setup ric
	@test -n "$(FN)" -a -n "$(EVENT)" || { echo "usage: make invoke FN=<LogicalId> EVENT=<file>"; exit 2; }
	@test -d .aws-sam/build/$(FN) || $(MAKE) --no-print-directory sam-build
	@$(PY) tools/invoke.py $(FN) $(EVENT)

demo: setup ric sam-build
	$(PY) tools/demo.py

bench/baseline/target/lambda/lib/.built: bench/baseline/pom.xml $(wildcard bench/baseline/src/main/java/dev/atrest/bench/*.java)
	cd bench/baseline && $(MVN) package
	touch $@

bench/floor/target/lambda/lib/.built: bench/floor/pom.xml pom.xml functions/core/src/main/resources/log4j2.xml $(wildcard bench/floor/src/main/java/dev/atrest/bench/*.java)
	rm -rf bench/floor/target/lambda
	cd bench/floor && $(MVN) package
	cp bench/floor/target/atrest-bench-floor-*.jar bench/floor/target/lambda/lib/
	touch $@

bench: setup ric sam-build bench/baseline/target/lambda/lib/.built bench/floor/target/lambda/lib/.built
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	$(MVN) clean
	rm -rf .aws-sam tools/ric/target bench/baseline/target bench/floor/target
