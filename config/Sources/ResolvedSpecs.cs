using KSync.Config.Model;
namespace KSync.Config.Sources;

/// <summary>The specs of both files, as <see cref="SpecResolver"/> combines them.</summary>
/// <param name="Specs">The user's specs in file order, then the project's.</param>
/// <param name="Problems">Project specs left out and why (one sentence each); empty when all are in.</param>
public sealed record ResolvedSpecs(IReadOnlyList<ResolvedSpec> Specs, IReadOnlyList<string> Problems)
{
    /// <summary>Gets no specs and no problems.</summary>
    public static ResolvedSpecs Empty { get; } = new([], []);

    /// <summary>Gets the details of every spec, in order.</summary>
    public IReadOnlyList<SpecDetails> Details => [.. Specs.Select(s => s.Details)];
}
