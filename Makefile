# Builds for AWS SAM (BuildMethod: makefile) and the local conveniences.
#
# `sam build` cannot build a Maven module that inherits from a parent POM in its own folder
# (aws-sam-cli #2289, aws-lambda-builders #113), so every function in template.yaml has
# `CodeUri: .` and `BuildMethod: makefile`: SAM runs `make build-<LogicalId>` with ARTIFACTS_DIR
# set, and the target builds that function's module with the root reactor and unpacks its
# shaded jar (classes at the root, as Lambda's Java runtime expects) into ARTIFACTS_DIR.
# `make check-artifacts` runs every target the way SAM would, without SAM (CI does).

MVN ?= mvn -B -q
ARTIFACTS_DIR ?= $(CURDIR)/target/sam-artifacts/$@
MAX_ARTIFACT_BYTES := 10485760

define package
	$(MVN) -f $(CURDIR)/pom.xml -pl functions/$(1) -am -DskipTests package
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && jar xf $(CURDIR)/functions/$(1)/target/crm-fn-$(1)-*-lambda.jar
endef

build-AuthorizerFunction:
	$(call package,authorizer)

build-TenantsFunction:
	$(call package,tenants)

build-TenantJobsFunction:
	$(call package,tenants)

build-JobSweepFunction:
	$(call package,tenants)

build-ContactsFunction:
	$(call package,contacts)

build-ContactJobsFunction:
	$(call package,contacts)

build-ContactEventsFunction:
	$(call package,contacts)

build-PreferencesFunction:
	$(call package,preferences)

build-BounceFunction:
	$(call package,preferences)

build-PreferenceEventsFunction:
	$(call package,preferences)

build-PreferenceJobsFunction:
	$(call package,preferences)

build-SurveysFunction:
	$(call package,surveys)

build-SurveyJobsFunction:
	$(call package,surveys)

build-SurveyScheduleFunction:
	$(call package,surveys)

build-SurveyEventsFunction:
	$(call package,surveys)

build-ChurnAlertsFunction:
	$(call package,churn-alerts)

build-ChurnRunsFunction:
	$(call package,churn-alerts)

build-ChurnScheduleFunction:
	$(call package,churn-alerts)

build-ChurnAlertEventsFunction:
	$(call package,churn-alerts)

build-WebhooksFunction:
	$(call package,webhooks)

build-WebhookFanoutFunction:
	$(call package,webhooks)

build-WebhookDeliveryFunction:
	$(call package,webhooks)

build-WebhookRetryFunction:
	$(call package,webhooks)

build-CasesFunction:
	$(call package,cases)

build-ComplaintCaseOpenerFunction:
	$(call package,cases)

build-CaseJobsFunction:
	$(call package,cases)

build-CaseEventsFunction:
	$(call package,cases)

build-CaseSlaScheduleFunction:
	$(call package,cases)

build-JourneysFunction:
	$(call package,journeys)

build-JourneyEnrolmentFunction:
	$(call package,journeys)

build-JourneySweepFunction:
	$(call package,journeys)

build-JourneyEventsFunction:
	$(call package,journeys)

# Every build target as SAM would call it; each artifact must hold its handler class and stay
# under the 10 MB budget (docs/performance.md).
FUNCTIONS := $(shell sed -n 's/^build-\([A-Za-z0-9]*\):.*/\1/p' $(firstword $(MAKEFILE_LIST)))
check-artifacts:
	@set -e; for f in $(FUNCTIONS); do \
	  dir=$(CURDIR)/target/sam-artifacts/$$f; rm -rf $$dir; \
	  $(MAKE) --no-print-directory build-$$f ARTIFACTS_DIR=$$dir MVN="$(MVN) -o"; \
	  handler=$$(awk -v id="  $$f:" '$$0 == id {found=1} found && /Handler:/ {print $$2; exit}' template.yaml); \
	  class=$${handler%%::*}; file=$$dir/$$(echo $$class | tr . /).class; \
	  test -f $$file || { echo "$$f: $$class missing from the artifact"; exit 1; }; \
	  module=$$(sed -n "/^build-$$f:/{n;s/.*package,\([a-z-]*\)).*/\1/p;}" $(firstword $(MAKEFILE_LIST))); \
	  size=$$(stat -c %s functions/$$module/target/crm-fn-$$module-*-lambda.jar); \
	  test $$size -lt $(MAX_ARTIFACT_BYTES) || { echo "$$f: artifact is $$size bytes, over 10 MB"; exit 1; }; \
	  echo "$$f: $$class, artifact $$size bytes"; \
	done

# Runs the product locally: builds what is needed, then the local runner on http://127.0.0.1:3000.
# Pass runner options with ARGS, e.g. make run ARGS="--in-memory --port 3001".
# RUN_JAVA_OPTS: the runner's JVM. C1 only: on 2 cores C2's compilations took 56 of the full demo's
# 177 s of CPU; with C1 only the demo used 131 s (set RUN_JAVA_OPTS= for the JVM's default).
RUN_JAVA_OPTS ?= -XX:TieredStopAtLevel=1
run:
	$(MVN) -DskipTests install
	java $(RUN_JAVA_OPTS) -jar local/target/crm-local.jar $(ARGS)

.PHONY: check-artifacts run
