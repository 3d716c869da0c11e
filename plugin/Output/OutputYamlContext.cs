using YamlDotNet.Serialization;

namespace KSync.Plugin.Output;

/// <summary>
/// YamlDotNet's source-generated type information for the <c>get -o yaml</c> views (no reflection, so it works in the
/// native-AOT binary). The generator fills this class in at build time from the <c>[YamlSerializable]</c> views.
/// </summary>
[YamlStaticContext]
public partial class OutputYamlContext : StaticContext
{
}
