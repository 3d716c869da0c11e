namespace KSync.Config.Validation;

/// <summary>One requirement of a label selector, e.g. <c>app=api</c> or <c>tier in (web,api)</c>.</summary>
/// <param name="Key">Label key, with optional DNS-subdomain prefix (<c>example.com/name</c>).</param>
/// <param name="Operator">How the label is compared.</param>
/// <param name="Values">Values for Equals/NotEquals (one) and In/NotIn (one or more); empty otherwise.</param>
public sealed record LabelRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>Whether a pod with <paramref name="labels"/> satisfies this requirement.</summary>
    /// <param name="labels">The pod's labels; null means none.</param>
    /// <returns>True when satisfied.</returns>
    public bool Matches(IDictionary<string, string>? labels)
    {
        string? value = null;
        var has = labels is not null && labels.TryGetValue(Key, out value);
        return Operator switch
        {
            SelectorOperator.Equals => has && value == Values[0],
            SelectorOperator.NotEquals => !has || value != Values[0],
            SelectorOperator.In => has && Values.Contains(value!),
            SelectorOperator.NotIn => !has || !Values.Contains(value!),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
            _ => false,
        };
    }

    /// <summary>The requirement in the API's canonical text form (<c>labelSelector</c> query parameter).</summary>
    /// <returns>E.g. <c>app=api</c>, <c>tier in (api,web)</c>, <c>!canary</c>.</returns>
    public override string ToString() => Operator switch
    {
        SelectorOperator.Equals => $"{Key}={Values[0]}",
        SelectorOperator.NotEquals => $"{Key}!={Values[0]}",
        SelectorOperator.In => $"{Key} in ({string.Join(',', Values)})",
        SelectorOperator.NotIn => $"{Key} notin ({string.Join(',', Values)})",
        SelectorOperator.Exists => Key,
        SelectorOperator.DoesNotExist => "!" + Key,
        _ => Key,
    };
}
