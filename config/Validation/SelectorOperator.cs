namespace KSync.Config.Validation;

/// <summary>The operators of a Kubernetes label selector requirement (Kubernetes docs: Labels and Selectors).</summary>
public enum SelectorOperator
{
    /// <summary><c>key=value</c> or <c>key==value</c>: the label exists with that value.</summary>
    Equals,

    /// <summary><c>key!=value</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>key in (a,b)</c>: the label exists with one of the values.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>: the label is absent or has none of the values.</summary>
    NotIn,

    /// <summary><c>key</c>: the label exists, whatever its value.</summary>
    Exists,

    /// <summary><c>!key</c>: the label does not exist.</summary>
    DoesNotExist,
}
