using System.Globalization;

namespace KSync.Radar.Reload;

/// <summary>
/// A POSIX signal by Linux number and name (signal(7); the numbers are the same on amd64 and arm64). Parsed from
/// the reload mode's text: a name with or without <c>SIG</c> (any case) or a number 1–64.
/// </summary>
/// <param name="Number">Linux signal number.</param>
/// <param name="Name">Name without <c>SIG</c>, e.g. <c>HUP</c>; for real-time signals <c>RTMIN+n</c> or the number.</param>
internal readonly record struct PosixSignal(int Number, string Name)
{
    private static readonly string[] s_names =
    [
        string.Empty, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>Parses a signal.</summary>
    /// <param name="text">"HUP", "SIGHUP", "hup" or "1".</param>
    /// <returns>The signal.</returns>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument when it names no signal.</exception>
    public static PosixSignal Parse(string? text)
    {
        var value = (text ?? string.Empty).Trim();
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number is >= 1 and <= 64)
            {
                return new PosixSignal(number, number < s_names.Length ? s_names[number] : value);
            }
        }
        else
        {
            var name = value.ToUpperInvariant();
            name = name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;
            var index = Array.IndexOf(s_names, name);
            if (index > 0)
            {
                return new PosixSignal(index, name);
            }

            if (name == "POLL")
            {
                return new PosixSignal(29, "IO");
            }
        }

        throw Runtimes.RadarErrors.InvalidArgument(
            $"signal '{(value.Length > 20 ? value[..20] : value)}' is not a signal name (HUP, USR1, TERM…) or number (1-64).");
    }
}
