/**
 * CDK makes a function or state machine DependsOn its role as well as the role's policy, while
 * `Role: Fn::GetAtt` already orders it after the role (cfn-lint W3005). Only the policy needs the
 * explicit DependsOn (nothing references it), so that is all the rendered DependsOn keeps.
 */
import { type CfnElement, type CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';

export function dependOnRolePolicyOnly(resource: CfnResource, role: iam.Role): void {
  resource.addOverride(
    'DependsOn',
    Lazy.list({
      produce: () => {
        const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnElement | undefined;
        return policy ? [Stack.of(role).getLogicalId(policy)] : undefined;
      },
    }),
  );
}
