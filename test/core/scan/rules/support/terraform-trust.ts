/**
 * Terraform trust fixtures shared by the rules that read AWS trust from HCL: a
 * `data "aws_iam_policy_document"` with one web-identity statement, and the computed
 * `dynamic "condition"` block whose conditions exist only at plan time.
 */

/** A policy document `label` trusting the OIDC provider `issuer`; `conditions` is HCL. */
export function webIdentityPolicyDocument(
  label: string,
  issuer: string,
  conditions: string,
): string {
  return `
    data "aws_iam_policy_document" "${label}" {
      statement {
        actions = ["sts:AssumeRoleWithWebIdentity"]
        principals {
          type        = "Federated"
          identifiers = ["arn:aws:iam::111122223333:oidc-provider/${issuer}"]
        }
    ${conditions}
      }
    }
    `;
}

/** A `dynamic "condition"` over a variable: the scanner cannot know what it generates. */
export const COMPUTED_DYNAMIC_CONDITION = `
        dynamic "condition" {
          for_each = var.trust_conditions
          content {
            test     = condition.value.test
            variable = condition.value.variable
            values   = condition.value.values
          }
        }`;
