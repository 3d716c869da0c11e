using YamlDotNet.Serialization;

namespace KSync.Config.Store;

/// <summary>
/// YamlDotNet's source-generated type information for ksync.yaml (no reflection, so it works in the native-AOT
/// binary). The generator fills this class in at build time from the <c>[YamlSerializable]</c> types.
/// </summary>
[YamlStaticContext]
public partial class KsyncYamlContext : StaticContext
{
}
