using System.Globalization;

namespace KSync.Config.Model;

/// <summary>
/// How a container is reloaded after local changes land: <c>restart</c> (radar restarts the container),
/// <c>signal:&lt;NAME&gt;</c> (radar sends a signal to its main process, e.g. <c>signal:HUP</c>) or <c>none</c>.
/// </summary>
public readonly record struct ReloadMode
{
    /// <summary>Signal names accepted after <c>signal:</c> (POSIX names without the SIG prefix).</summary>
    public static readonly IReadOnlySet<string> SignalNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "WINCH", "CONT", "STOP", "TSTP", "ALRM", "PWR",
    };

    private ReloadMode(string? signal, bool isEnabled)
    {
        Signal = signal;
        IsEnabled = isEnabled;
    }

    /// <summary>Gets the default: restart the container.</summary>
    public static ReloadMode Restart => new(null, true);

    /// <summary>Gets the mode that never reloads.</summary>
    public static ReloadMode None => new(null, false);

    /// <summary>Gets a value indicating whether any reload happens.</summary>
    public bool IsEnabled { get; }

    /// <summary>Gets the signal name (e.g. <c>HUP</c>) for signal mode; null for restart and none.</summary>
    public string? Signal { get; }

    /// <summary>Gets a value indicating whether this is signal mode.</summary>
    public bool IsSignal => Signal is not null;

    /// <summary>Makes signal mode.</summary>
    /// <param name="name">A name from <see cref="SignalNames"/>, with or without <c>SIG</c>, any case.</param>
    /// <returns>The mode.</returns>
    /// <exception cref="FormatException">Unknown signal.</exception>
    public static ReloadMode ForSignal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var upper = name.Trim().ToUpperInvariant();
        if (upper.StartsWith("SIG", StringComparison.Ordinal))
        {
            upper = upper[3..];
        }

        return SignalNames.Contains(upper)
            ? new ReloadMode(upper, true)
            : throw new FormatException($"'{name}' is not a signal ksync can send; use one of {string.Join(", ", SignalNames.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>Parses <c>restart</c>, <c>none</c>, <c>signal:&lt;NAME&gt;</c> (also <c>true</c> = restart, <c>false</c> = none).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The mode.</returns>
    /// <exception cref="FormatException">Unrecognized text; the message lists what is accepted.</exception>
    public static ReloadMode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.StartsWith("signal:", StringComparison.OrdinalIgnoreCase))
        {
            return ForSignal(value["signal:".Length..]);
        }

        return value.ToLower(CultureInfo.InvariantCulture) switch
        {
            "restart" or "true" => Restart,
            "none" or "false" => None,
            _ => throw new FormatException($"'{text}' is not a reload mode; use restart, none or signal:<NAME> (e.g. signal:HUP)."),
        };
    }

    /// <summary>Reads the mode a spec asks for: <c>reload: false</c> wins, else <c>reloadmode</c>, else restart.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The mode.</returns>
    /// <exception cref="FormatException"><c>reloadmode</c> is malformed.</exception>
    public static ReloadMode Of(SpecDetails spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.Reload)
        {
            return None;
        }

        return string.IsNullOrEmpty(spec.ReloadMode) ? Restart : Parse(spec.ReloadMode);
    }

    /// <summary>Writes this mode into a spec's <c>reload</c> and <c>reloadmode</c> keys.</summary>
    /// <param name="spec">The spec to change.</param>
    public void ApplyTo(SpecDetails spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Reload = IsEnabled;
        spec.ReloadMode = IsSignal ? ToString() : null;
    }

    /// <inheritdoc/>
    public override string ToString() => !IsEnabled ? "none" : IsSignal ? $"signal:{Signal}" : "restart";
}
