using System.Security.Cryptography;

namespace KSync.Config.Validation;

/// <summary>Random two-word spec names like the original's (<c>sunny-husky</c>), unique within a config.</summary>
public static class SpecNames
{
    private static readonly string[] s_adjectives =
    [
        "able", "brave", "bright", "calm", "clever", "cosmic", "crisp", "daring", "eager", "fair", "fancy", "gentle",
        "golden", "happy", "hardy", "jolly", "keen", "lively", "lucky", "merry", "mighty", "nimble", "noble",
        "plucky", "proud", "quick", "quiet", "rapid", "ready", "shiny", "smart", "snappy", "solid", "sunny", "swift",
        "tidy", "trusty", "vivid", "warm", "wise", "witty", "zesty",
    ];

    private static readonly string[] s_animals =
    [
        "badger", "beaver", "bison", "cobra", "condor", "coyote", "crane", "dingo", "eagle", "falcon", "ferret",
        "gecko", "gopher", "heron", "husky", "ibis", "jackal", "koala", "lemur", "lynx", "marten", "moose", "newt",
        "ocelot", "otter", "panda", "puffin", "quail", "rattler", "raven", "salmon", "seal", "shrike", "sloth", "stork",
        "tapir", "tiger", "toucan", "viper", "walrus", "wasp", "wombat", "yak", "zebra",
    ];

    /// <summary>Makes a name that is not in <paramref name="taken"/>.</summary>
    /// <param name="taken">Names already used.</param>
    /// <returns>An adjective-animal name, with a numeric suffix in the unlikely case all pairs are taken.</returns>
    public static string Generate(IReadOnlySet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var name = $"{s_adjectives[RandomNumberGenerator.GetInt32(s_adjectives.Length)]}-{s_animals[RandomNumberGenerator.GetInt32(s_animals.Length)]}";
            if (!taken.Contains(name))
            {
                return name;
            }
        }

        for (var n = 2; ; n++)
        {
            var name = $"{s_adjectives[0]}-{s_animals[0]}-{n}";
            if (!taken.Contains(name))
            {
                return name;
            }
        }
    }
}
