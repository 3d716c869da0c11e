using KSync.Config.Validation;

namespace KSync.Plugin.Errors;

/// <summary>Input was rejected; carries every problem so the user can fix them all at once. Exit code 1.</summary>
internal sealed class ValidationException : KsyncException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problems">At least one problem.</param>
    public ValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(problems.Count > 0 ? problems[0].Message : "Invalid input.", problems.Count > 0 ? problems[0].Hint : null)
    {
        Problems = problems;
    }

    /// <summary>Gets every problem found, in check order.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }
}
