using k8s;
using k8s.Models;

namespace KSync.Plugin.Cluster;

/// <summary>
/// Asks the API server whether the current user may do each of a list of things (SelfSubjectAccessReview,
/// authorization.k8s.io/v1 — the same check as <c>kubectl auth can-i</c>). Nothing is changed.
/// </summary>
internal static class AccessChecker
{
    /// <summary>Reviews every requirement.</summary>
    /// <param name="client">The client.</param>
    /// <param name="requirements">What to check.</param>
    /// <param name="cancellationToken">Cancels the reviews.</param>
    /// <returns>The requirements that are NOT granted (empty when all are).</returns>
    public static async Task<IReadOnlyList<AccessRequirement>> MissingAsync(Kubernetes client, IEnumerable<AccessRequirement> requirements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var missing = new List<AccessRequirement>();
        foreach (var requirement in requirements)
        {
            var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(
                new V1SelfSubjectAccessReview
                {
                    Spec = new V1SelfSubjectAccessReviewSpec
                    {
                        ResourceAttributes = new V1ResourceAttributes
                        {
                            Verb = requirement.Verb,
                            Group = requirement.Group,
                            Resource = requirement.Resource,
                            Subresource = requirement.Subresource,
                            NamespaceProperty = requirement.Namespace,
                        },
                    },
                },
                cancellationToken: cancellationToken);
            if (review.Status?.Allowed != true)
            {
                missing.Add(requirement);
            }
        }

        return missing;
    }
}
