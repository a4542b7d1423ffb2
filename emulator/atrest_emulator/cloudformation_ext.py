"""CloudFormation StackSets with service-managed permissions, as the AWS documentation describes them (CloudFormation
User Guide, "StackSets and AWS Organizations"; API Reference: CreateStackSet, CreateStackInstances,
DeleteStackInstances, DeploymentTargets, AutoDeployment, ActivateOrganizationsAccess, CallAs), where moto 5.2 departs
from it in ways an organisation roll-out depends on. moto keeps the StackSet; the organisation side is done here.

- Trusted access (missing in moto): ActivateOrganizationsAccess / DeactivateOrganizationsAccess (management account)
  and DescribeOrganizationsAccess (ENABLED | DISABLED). Activating enables the service principal
  member.org.stacksets.cloudformation.amazonaws.com in the organisation. Without it a SERVICE_MANAGED StackSet is
  refused: "You must enable organizations access to operate a service managed stack set".
- CallAs (moto: ignored): SERVICE_MANAGED StackSets live in the management account, also those a delegated
  administrator creates. CallAs=DELEGATED_ADMIN from an account registered (Organizations
  RegisterDelegatedAdministrator) for that service principal acts on the management account's StackSets; any other
  account is refused: "You must be the master or delegated admin account of an organization before operating a
  SERVICE_MANAGED stack set".
- CreateStackSet, SERVICE_MANAGED (moto: AutoDeployment and Capabilities dropped): AutoDeployment is required and is
  answered by DescribeStackSet, as are Capabilities and the target OrganizationalUnitIds; a template with a Transform
  is refused (StackSets does not create service-managed StackSets from templates that reference macros); a template
  with IAM resources needs CAPABILITY_IAM, or CAPABILITY_NAMED_IAM for named ones (InsufficientCapabilities).
- CreateStackInstances with DeploymentTargets.OrganizationalUnitIds (moto: only the OUs' direct children, the
  management account included when it sits in a target, the stacks hidden): every account in the OUs and in the OUs
  below them, never the management account, in each Region. Each instance's stack is a stack of the member account
  and Region, named StackSet-<StackSet name>-<uuid>, listed there by DescribeStacks. A stack that fails to create is
  rolled back (ROLLBACK_COMPLETE) and its instance is OUTDATED with DetailedStatus FAILED and the stack's reason; the
  operation is then FAILED (every instance is attempted: failure tolerance and concurrency are not modelled, nor are
  OperationPreferences). ListStackInstances, DescribeStackInstance and ListStackSetOperationResults answer per
  account and Region, with the OU each instance came from.
- AutoDeployment (moto: none): while Enabled, an account created in or moved into a target OU (or an OU below one)
  gets the StackSet's instances in the Regions already chosen for that OU; an account moved out of every target or
  removed from the organisation loses them: its stacks are deleted, or kept (the instances only leave the StackSet)
  with RetainStacksOnAccountRemoval.
- DeleteStackInstances with DeploymentTargets.OrganizationalUnitIds and RetainStacks (moto: accounts only): deletes
  the instances of those OUs' accounts in the Regions, their stacks too unless RetainStacks; the OUs stop being
  targets in those Regions. DeleteStackSet is refused while instances remain (StackSetNotEmptyException).
- AWS::CloudFormation::StackSet as a resource of a stack (moto: none): creates the StackSet (CallAs honoured) and the
  instances of each StackInstancesGroup; Ref and StackSetId are the StackSet id. A failed operation fails the
  resource. Deleting it deletes the instances (their stacks) and the StackSet. Updates are not modelled.
- A stack whose resources fail to create (moto: CreateStack answers the error and leaves the stack half made) is
  rolled back as CloudFormation does: what was created is deleted and the stack is ROLLBACK_COMPLETE, with the
  resource's reason in its CREATE_FAILED event and StackStatusReason, and no outputs; CreateStack itself succeeds.
- Not modelled: UpdateStackSet reaching the instances' stacks (moto stores the new template and parameters only),
  drift detection, account-level targets and AccountFilterType for service-managed StackSets.
"""
import threading
import uuid
from urllib.parse import parse_qs

from moto.cloudformation import models as cfn_models
from moto.cloudformation import responses as cfn_responses
from moto.cloudformation.exceptions import StackSetNotEmpty, ValidationError
from moto.cloudformation.models import Stack, cloudformation_backends
from moto.cloudformation.utils import get_stack_from_s3_url
from moto.core.common_models import CloudFormationModel
from moto.core.utils import utcnow
from moto.organizations import models as org_models
from moto.organizations.models import organizations_backends
from werkzeug.wrappers import Response

from . import accounts

STACKSETS_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"
NOT_ACTIVATED = "You must enable organizations access to operate a service managed stack set"
NOT_ADMIN = ("You must be the master or delegated admin account of an organization before operating a "
             "SERVICE_MANAGED stack set")
# Query-protocol StackSet actions that take CallAs.
CALL_AS_ACTIONS = {"CreateStackSet", "UpdateStackSet", "DeleteStackSet", "DescribeStackSet", "ListStackSets",
                   "CreateStackInstances", "UpdateStackInstances", "DeleteStackInstances", "DescribeStackInstance",
                   "ListStackInstances", "DescribeStackSetOperation", "ListStackSetOperations",
                   "ListStackSetOperationResults", "StopStackSetOperation", "DescribeOrganizationsAccess"}
_NAMED_IAM = {"AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName", "AWS::IAM::Group": "GroupName",
              "AWS::IAM::ManagedPolicy": "ManagedPolicyName", "AWS::IAM::InstanceProfile": "InstanceProfileName"}

_lock = threading.RLock()
_activated = set()  # management accounts whose organisation has trusted access with StackSets


class InsufficientCapabilities(ValidationError):
    code = "InsufficientCapabilitiesException"

    def __init__(self, message):
        super().__init__(message=message)


def reset():
    with _lock:
        _activated.clear()


# ---------------------------------------------------------------- the organisation

def management_account(account):
    """The management account of `account`'s organisation (itself when it is one), or None outside one."""
    if organizations_backends[account]["aws"].org is not None:
        return account
    found = organizations_backends.master_accounts.get(account)
    return found[0] if found else None


def _organization(management):
    return organizations_backends[management]["aws"]


def _is_delegated_admin(account):
    management = management_account(account)
    if management is None or management == account:
        return False
    return any(admin.account.id == account and STACKSETS_PRINCIPAL in admin.services
               for admin in _organization(management).admins)


def _parent(organization, node_id):
    for unit in organization.ou:
        if unit.id == node_id:
            return getattr(unit, "parent_id", None)
    return None


def _ancestry(organization, parent_id):
    """parent_id and every OU above it, up to the root."""
    chain = []
    while parent_id:
        chain.append(parent_id)
        parent_id = _parent(organization, parent_id)
    return chain


def _covering_targets(stackset, organization, account_id):
    """{target OU: Regions} of the StackSet's targets that hold `account_id`, nearest first."""
    account = next((a for a in organization.accounts if a.id == account_id), None)
    if account is None or account_id == organization.org.master_account_id:
        return {}
    targets = stackset._atrest_targets
    return {ou: targets[ou] for ou in _ancestry(organization, account.parent_id) if ou in targets}


def _accounts_under(organization, ou_ids):
    """(account, target OU) for each account in the OUs or below them, the management account excepted."""
    found = []
    for account in organization.accounts:
        if account.id == organization.org.master_account_id:
            continue
        for ou in _ancestry(organization, account.parent_id):
            if ou in ou_ids:
                found.append((account.id, ou))
                break
    return found


# ---------------------------------------------------------------- instances

class OrgStackInstance:
    def __init__(self, stackset, account, region, ou):
        self.stackset = stackset
        self.account = account
        self.region = region
        self.ou = ou
        self.stack = None
        self.overrides = []
        self.status, self.detailed, self.reason, self.operation = "OUTDATED", "PENDING", None, None

    def to_dict(self):
        answer = {"StackSetId": self.stackset.id, "Region": self.region, "Account": self.account,
                  "Status": self.status, "StackInstanceStatus": {"DetailedStatus": self.detailed},
                  "OrganizationalUnitId": self.ou, "DriftStatus": "NOT_CHECKED", "LastOperationId": self.operation,
                  "ParameterOverrides": self.overrides}
        if self.stack is not None:
            answer["StackId"] = self.stack.stack_id
        if self.reason:
            answer["StatusReason"] = self.reason
        return answer


def _message(error):
    return getattr(error, "message", None) or getattr(error, "description", None) or str(error)


def _deploy(instance, operation_id):
    """Creates the instance's stack in its account and Region; a stack that fails leaves the instance
    OUTDATED/FAILED with the stack's reason."""
    stackset = instance.stackset
    backend = cloudformation_backends[instance.account][instance.region]
    name = f"StackSet-{stackset.name}-{uuid.uuid4()}"
    parameters = dict(stackset.parameters or {})
    parameters.update({p["ParameterKey"]: p["ParameterValue"] for p in instance.overrides})
    instance.operation = operation_id
    try:
        instance.stack = backend.create_stack(name=name, template=stackset.template, parameters=parameters)
        failure = getattr(instance.stack, "_atrest_failure", None)
    except Exception as e:  # refused before any resource (the template or its parameters)
        instance.stack, failure = None, _message(e)
    if failure is None:
        instance.status, instance.detailed, instance.reason = "CURRENT", "SUCCEEDED", None
    else:
        instance.status, instance.detailed, instance.reason = "OUTDATED", "FAILED", failure
    return instance


def _undeploy(instance, retain):
    """Removes the instance (its stack too unless `retain`); a stack that will not delete leaves the instance
    INOPERABLE with the reason, as a failed DeleteStackInstances does. The result for the operation."""
    result = {"Account": instance.account, "Region": instance.region, "OrganizationalUnitId": instance.ou,
              "Status": "SUCCEEDED"}
    if instance.stack is not None and not retain:
        try:
            cloudformation_backends[instance.account][instance.region].delete_stack(instance.stack.stack_id)
        except Exception as e:
            instance.status, instance.detailed, instance.reason = "INOPERABLE", "FAILED", _message(e)
            return {**result, "Status": "FAILED", "StatusReason": instance.reason}
    instance.stackset._atrest_instances.pop((instance.account, instance.region), None)
    return result


def _result(instance):
    result = {"Account": instance.account, "Region": instance.region, "OrganizationalUnitId": instance.ou,
              "Status": "FAILED" if instance.detailed == "FAILED" else "SUCCEEDED",
              "AccountGateResult": {"Status": "SKIPPED", "StatusReason": "No account gate function"}}
    if instance.reason:
        result["StatusReason"] = instance.reason
    return result


def create_instances(stackset, ou_ids, regions, overrides=None):
    """Deploys the StackSet to every account in the OUs (and below) in each Region; the operation id."""
    with _lock:
        organization = _organization(stackset._atrest_management)
        known = {unit.id for unit in organization.ou}
        unknown = [ou for ou in ou_ids if ou not in known]
        if unknown:
            raise ValidationError(message=f"Organizational unit {unknown[0]} does not exist in the organization")
        for ou in ou_ids:
            stackset._atrest_targets.setdefault(ou, set()).update(regions)
        stackset.organizational_unit_ids = sorted(stackset._atrest_targets)
        stackset.regions = sorted({r for rs in stackset._atrest_targets.values() for r in rs})
        operation_id = str(uuid.uuid4())
        results = []
        for region in regions:
            for account, ou in _accounts_under(organization, set(ou_ids)):
                existing = stackset._atrest_instances.get((account, region))
                if existing is not None and existing.detailed == "SUCCEEDED":
                    existing.overrides = list(overrides or existing.overrides)
                    results.append(_result(existing))
                    continue
                instance = existing or OrgStackInstance(stackset, account, region, ou)
                instance.overrides = list(overrides or [])
                stackset._atrest_instances[(account, region)] = instance
                results.append(_result(_deploy(instance, operation_id)))
        return _record(stackset, operation_id, "CREATE", results)


def _record(stackset, operation_id, action, results):
    failed = [r for r in results if r["Status"] == "FAILED"]
    stackset.operations.append({
        "OperationId": operation_id, "Action": action, "Status": "FAILED" if failed else "SUCCEEDED",
        "CreationTimestamp": utcnow(), "EndTimestamp": utcnow(),
        "Instances": [{r["Account"]: r["Region"]} for r in results], "Results": results,
    })
    return operation_id


def delete_instances(stackset, ou_ids, regions, retain):
    with _lock:
        organization = _organization(stackset._atrest_management)
        for ou in ou_ids:
            remaining = stackset._atrest_targets.get(ou, set()) - set(regions)
            if remaining:
                stackset._atrest_targets[ou] = remaining
            else:
                stackset._atrest_targets.pop(ou, None)
        stackset.organizational_unit_ids = sorted(stackset._atrest_targets)
        stackset.regions = sorted({r for rs in stackset._atrest_targets.values() for r in rs})
        operation_id = str(uuid.uuid4())
        results = []
        for account, _ in _accounts_under(organization, set(ou_ids)):
            covering = _covering_targets(stackset, organization, account)
            for region in regions:
                instance = stackset._atrest_instances.get((account, region))
                if instance is None or any(region in kept for kept in covering.values()):
                    continue  # none, or still wanted through another target OU
                results.append(_undeploy(instance, retain))
        return _record(stackset, operation_id, "DELETE", results)


def reconcile_account(management, account_id):
    """AutoDeployment after `account_id` joined, moved or left: the instances its target OUs call for."""
    with _lock:
        organization = _organization(management)
        for stackset in _service_managed_stacksets(management):
            if not (stackset.auto_deployment or {}).get("Enabled"):
                continue
            covering = _covering_targets(stackset, organization, account_id)
            wanted = {}
            for ou, regions in reversed(list(covering.items())):  # the nearest OU names the instance
                for region in regions:
                    wanted[region] = ou
            have = {region: i for (acct, region), i in stackset._atrest_instances.items() if acct == account_id}
            retain = bool(stackset.auto_deployment.get("RetainStacksOnAccountRemoval"))
            removed = [_undeploy(i, retain) for region, i in have.items() if region not in wanted]
            if removed:
                _record(stackset, str(uuid.uuid4()), "DELETE", removed)
            operation_id = str(uuid.uuid4())
            added = []
            for region, ou in wanted.items():
                if region in have:
                    have[region].ou = ou
                    continue
                instance = OrgStackInstance(stackset, account_id, region, ou)
                stackset._atrest_instances[(account_id, region)] = instance
                added.append(_result(_deploy(instance, operation_id)))
            if added:
                _record(stackset, operation_id, "CREATE", added)


def _service_managed_stacksets(management):
    for backend in list(cloudformation_backends[management].values()):
        for stackset in list(backend.stacksets.values()):
            if stackset.permission_model == "SERVICE_MANAGED" and stackset.status != "DELETED":
                yield stackset


def _patch_stack_rollback():
    create_resources = Stack.create_resources

    def create(self):
        try:
            create_resources(self)
        except Exception as e:
            reason = _message(e)
            self._atrest_failure = reason
            self._add_stack_event("CREATE_FAILED", resource_status_reason=reason)
            try:
                self.resource_map.delete()
            except Exception:  # resources that will not go: DELETE_FAILED in CloudFormation, left here
                pass
            self.status = "ROLLBACK_COMPLETE"
            self.stack_status_reason = f"The following resource(s) failed to create: {reason}"
            self._add_stack_event("ROLLBACK_COMPLETE")

    outputs = Stack.outputs

    def no_outputs_after_rollback(self):
        return None if getattr(self, "_atrest_failure", None) else outputs.fget(self)

    Stack.create_resources = create
    Stack.outputs = property(no_outputs_after_rollback)


# ---------------------------------------------------------------- creating a StackSet

def _check_template(template, capabilities):
    body = Stack.parse_template(template)
    if "Transform" in body:
        raise ValidationError(message="StackSets with SERVICE_MANAGED permissions don't support templates that "
                                      "reference macros or transforms (Transform): process the template first")
    needed = None
    for resource in (body.get("Resources") or {}).values():
        kind = resource.get("Type", "")
        if kind in _NAMED_IAM and _NAMED_IAM[kind] in (resource.get("Properties") or {}):
            needed = "CAPABILITY_NAMED_IAM"
        elif kind.startswith("AWS::IAM::") and needed is None:
            needed = "CAPABILITY_IAM"
    granted = set(capabilities or [])
    if needed == "CAPABILITY_NAMED_IAM" and "CAPABILITY_NAMED_IAM" not in granted:
        raise InsufficientCapabilities("Requires capabilities : [CAPABILITY_NAMED_IAM]")
    if needed == "CAPABILITY_IAM" and not granted & {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}:
        raise InsufficientCapabilities("Requires capabilities : [CAPABILITY_IAM]")


def check_service_managed(account, template, auto_deployment, capabilities):
    """Raises as CreateStackSet does for a SERVICE_MANAGED StackSet created in `account` (the management account
    once CallAs is resolved)."""
    if management_account(account) != account:
        raise ValidationError(message=NOT_ADMIN)
    if account not in _activated:
        raise ValidationError(message=NOT_ACTIVATED)
    if auto_deployment is None:
        raise ValidationError(message="AutoDeployment must be specified for StackSets with SERVICE_MANAGED "
                                      "permissions")
    _check_template(template, capabilities)


def adopt(stackset, management, auto_deployment, capabilities):
    """Gives a StackSet moto created the service-managed state."""
    stackset.auto_deployment = {"Enabled": bool(auto_deployment.get("Enabled")),
                                "RetainStacksOnAccountRemoval":
                                    bool(auto_deployment.get("RetainStacksOnAccountRemoval"))}
    stackset.capabilities = list(capabilities or [])
    stackset.organizational_unit_ids = []
    stackset.regions = []
    stackset._atrest_management = management
    stackset._atrest_targets = {}
    stackset._atrest_instances = {}


def _service_managed(stackset):
    return getattr(stackset, "_atrest_instances", None) is not None


def _bool(value):
    return value if isinstance(value, bool) else str(value).lower() == "true"


# ---------------------------------------------------------------- moto's API, patched

def _patch_responses():
    R = cfn_responses.CloudFormationResponse
    create_stack_set = R.create_stack_set
    create_stack_instances = R.create_stack_instances
    delete_stack_instances = R.delete_stack_instances
    list_results = R.list_stack_set_operation_results

    def create(self):
        params = self._get_params()
        if params.get("PermissionModel") != "SERVICE_MANAGED":
            return create_stack_set(self)
        template = params.get("TemplateBody")
        if params.get("TemplateURL"):
            template = self._get_stack_from_s3_url(params["TemplateURL"])
        auto = params.get("AutoDeployment")
        if auto is not None:
            auto = {k: _bool(v) for k, v in auto.items()}
        capabilities = params.get("Capabilities") or []
        with _lock:
            check_service_managed(self.current_account, template, auto, capabilities)
            result = create_stack_set(self)
            stackset = self.cloudformation_backend.describe_stack_set(params["StackSetName"])
            adopt(stackset, self.current_account, auto, capabilities)
        return result

    def create_instances_response(self):
        stackset = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
        if not _service_managed(stackset):
            return create_stack_instances(self)
        params = self._get_params()
        targets = (params.get("DeploymentTargets") or {}).get("OrganizationalUnitIds") or []
        if not targets or params.get("Accounts"):
            raise ValidationError(message="StackSets with SERVICE_MANAGED permission model can only have "
                                          "OrganizationalUnit as target")
        operation_id = create_instances(stackset, targets, params.get("Regions") or [],
                                        params.get("ParameterOverrides") or [])
        return cfn_responses.ActionResult({"OperationId": operation_id})

    def delete_instances_response(self):
        stackset = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
        if not _service_managed(stackset):
            return delete_stack_instances(self)
        params = self._get_params()
        targets = (params.get("DeploymentTargets") or {}).get("OrganizationalUnitIds") or []
        if not targets:
            raise ValidationError(message="StackSets with SERVICE_MANAGED permission model can only have "
                                          "OrganizationalUnit as target")
        if "RetainStacks" not in params:
            raise ValidationError(message="RetainStacks is required")
        operation_id = delete_instances(stackset, targets, params.get("Regions") or [], _bool(params["RetainStacks"]))
        return cfn_responses.ActionResult({"OperationId": operation_id})

    def results_response(self):
        stackset, operation = self.cloudformation_backend.describe_stack_set_operation(
            self._get_param("StackSetName"), self._get_param("OperationId"))
        if "Results" not in operation:
            return list_results(self)
        return cfn_responses.ActionResult({"Summaries": operation["Results"]})

    R.create_stack_set = create
    R.create_stack_instances = create_instances_response
    R.delete_stack_instances = delete_instances_response
    R.list_stack_set_operation_results = results_response


def _patch_backend():
    B = cfn_models.CloudFormationBackend
    list_instances = B.list_stack_instances
    describe_instance = B.describe_stack_instance
    delete_stack_set = B.delete_stack_set

    def list_stack_instances(self, stackset_name):
        stackset = self.describe_stack_set(stackset_name)
        if not _service_managed(stackset):
            return list_instances(self, stackset_name)
        summaries = []
        for instance in sorted(stackset._atrest_instances.values(), key=lambda i: (i.account, i.region)):
            summary = instance.to_dict()
            summary.pop("ParameterOverrides")
            summaries.append(summary)
        return summaries

    def describe_stack_instance(self, stack_set_name, account_id, region):
        stackset = self.describe_stack_set(stack_set_name)
        if not _service_managed(stackset):
            return describe_instance(self, stack_set_name, account_id, region)
        instance = stackset._atrest_instances.get((account_id, region))
        if instance is None:
            from moto.cloudformation.exceptions import CloudFormationError

            class StackInstanceNotFound(CloudFormationError):
                code = "StackInstanceNotFoundException"
            raise StackInstanceNotFound(f"Stack instance {account_id}/{region} not found in StackSet {stack_set_name}")
        return instance.to_dict()

    def delete(self, name):
        for stackset in list(self.stacksets.values()):
            if (stackset.name == name or stackset.id == name) and _service_managed(stackset) \
                    and stackset.status != "DELETED" and stackset._atrest_instances:
                raise StackSetNotEmpty()
        return delete_stack_set(self, name)

    B.list_stack_instances = list_stack_instances
    B.describe_stack_instance = describe_stack_instance
    B.delete_stack_set = delete


def _patch_organizations():
    """AutoDeployment follows accounts as they join, move and leave. StackSets takes a delegated administrator
    (Organizations User Guide, services that work with Organizations; moto's list lacks it)."""
    if STACKSETS_PRINCIPAL not in org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES:
        org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES.append(STACKSETS_PRINCIPAL)
    O = org_models.OrganizationsBackend
    move_account = O.move_account
    create_account = O.create_account
    remove_account = O.remove_account_from_organization

    def move(self, **kwargs):
        move_account(self, **kwargs)
        reconcile_account(self.account_id, kwargs["AccountId"])

    def create(self, **kwargs):
        status = create_account(self, **kwargs)
        reconcile_account(self.account_id, self.accounts[-1].id)
        return status

    def remove(self, **kwargs):
        remove_account(self, **kwargs)
        reconcile_account(self.account_id, kwargs["AccountId"])

    O.move_account = move
    O.create_account = create
    O.remove_account_from_organization = remove


# ---------------------------------------------------------------- HTTP: trusted access and CallAs

def _xml(action, result=""):
    return Response(f'<{action}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">'
                    f'<{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>{uuid.uuid4()}'
                    f'</RequestId></ResponseMetadata></{action}Response>', mimetype="text/xml")


def _error(code, message, status=400):
    return Response(f'<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error>'
                    f'<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>'
                    f'<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>', status=status, mimetype="text/xml")


def activate(call, request, body, region):
    account = accounts.current()
    if management_account(account) != account:
        return _error("InvalidOperation", "Only the management account of an organization can activate trusted "
                                          "access with AWS Organizations")
    with _lock:
        _organization(account).enable_aws_service_access(ServicePrincipal=STACKSETS_PRINCIPAL)
        _activated.add(account)
    return _xml("ActivateOrganizationsAccess")


def deactivate(call, request, body, region):
    account = accounts.current()
    if management_account(account) != account:
        return _error("InvalidOperation", "Only the management account of an organization can deactivate trusted "
                                          "access with AWS Organizations")
    with _lock:
        _organization(account).disable_aws_service_access(ServicePrincipal=STACKSETS_PRINCIPAL)
        _activated.discard(account)
    return _xml("DeactivateOrganizationsAccess")


def describe(call, request, body, region):
    # CallAs=DELEGATED_ADMIN has already made the management account the caller (before()).
    account = request.environ.get("HTTP_X_MOTO_ACCOUNT_ID") or accounts.current()
    if management_account(account) != account:
        return _error("InvalidOperation", NOT_ADMIN)
    return _xml("DescribeOrganizationsAccess", f"<Status>{'ENABLED' if account in _activated else 'DISABLED'}"
                                               f"</Status>")


def before(call, request, body, region):
    """CallAs=DELEGATED_ADMIN: a registered delegated administrator acts on the management account's StackSets."""
    if call.service != "cloudformation" or call.operation not in CALL_AS_ACTIONS:
        return None
    form = parse_qs(body.decode("utf-8", "replace")) if body else {}
    if (form.get("CallAs") or ["SELF"])[0] != "DELEGATED_ADMIN":
        return None
    caller = accounts.current()
    if not _is_delegated_admin(caller):
        return _error("ValidationError", NOT_ADMIN)
    request.environ["HTTP_X_MOTO_ACCOUNT_ID"] = management_account(caller)
    return None


HANDLERS = {
    ("cloudformation", "ActivateOrganizationsAccess"): activate,
    ("cloudformation", "DeactivateOrganizationsAccess"): deactivate,
    ("cloudformation", "DescribeOrganizationsAccess"): describe,
}


# ---------------------------------------------------------------- AWS::CloudFormation::StackSet

class StackSetResource(CloudFormationModel):
    def __init__(self, stackset, backend):
        self.stackset = stackset
        self.backend = backend

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudFormation::StackSet"

    @staticmethod
    def cloudformation_name_type():
        return "StackSetName"

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "StackSetId"

    @property
    def physical_resource_id(self):
        return self.stackset.id

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "StackSetId":
            return self.stackset.id
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
        raise UnformattedGetAttTemplateException()

    def is_created(self):
        return True

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json.get("Properties") or {}
        name = p.get("StackSetName") or resource_name
        model = p.get("PermissionModel")
        owner = account_id
        if model == "SERVICE_MANAGED" and p.get("CallAs") == "DELEGATED_ADMIN":
            if not _is_delegated_admin(account_id):
                raise ValidationError(message=NOT_ADMIN)
            owner = management_account(account_id)
        template = p.get("TemplateBody")
        if p.get("TemplateURL"):
            template = get_stack_from_s3_url(p["TemplateURL"], account_id=account_id, partition="aws")
        parameters = {x["ParameterKey"]: x["ParameterValue"] for x in p.get("Parameters") or []}
        backend = cloudformation_backends[owner][region_name]
        with _lock:
            if model == "SERVICE_MANAGED":
                auto = p.get("AutoDeployment")
                if auto is not None:
                    auto = {k: _bool(v) for k, v in auto.items()}
                check_service_managed(owner, template, auto, p.get("Capabilities"))
            stackset = backend.create_stack_set(
                name=name, template=template, parameters=parameters,
                tags={t["Key"]: t["Value"] for t in p.get("Tags") or []}, permission_model=model,
                admin_role=p.get("AdministrationRoleARN"), exec_role=p.get("ExecutionRoleName"),
                description=p.get("Description"))
            resource = cls(stackset, backend)
            if model != "SERVICE_MANAGED":
                return resource
            adopt(stackset, owner, auto, p.get("Capabilities"))
        for group in p.get("StackInstancesGroup") or []:
            ous = (group.get("DeploymentTargets") or {}).get("OrganizationalUnitIds") or []
            operation_id = create_instances(stackset, ous, group.get("Regions") or [],
                                            group.get("ParameterOverrides") or [])
            operation = stackset.get_operation(operation_id)
            if operation["Status"] == "FAILED":
                failed = [r for r in operation["Results"] if r["Status"] == "FAILED"]
                raise ValidationError(message=f"StackSet {name}: {len(failed)} stack instance(s) failed, e.g. "
                                              f"{failed[0]['Account']}/{failed[0]['Region']}: "
                                              f"{failed[0].get('StatusReason')}")
        return resource

    def delete(self, account_id, region_name):
        stackset = self.stackset
        if _service_managed(stackset):
            with _lock:
                failed = [r for r in (_undeploy(i, retain=False) for i in list(stackset._atrest_instances.values()))
                          if r["Status"] == "FAILED"]
                if failed:
                    raise ValidationError(message=f"StackSet {stackset.name}: {len(failed)} stack instance(s) could "
                                                  f"not be deleted, e.g. {failed[0]['StatusReason']}")
                stackset._atrest_targets.clear()
        self.backend.delete_stack_set(stackset.id)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                        region_name):
        raise ValidationError(message="Updating an AWS::CloudFormation::StackSet is not modelled by the emulator")

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass


_patch_stack_rollback()
_patch_responses()
_patch_backend()
_patch_organizations()
