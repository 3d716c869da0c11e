using KSync.Plugin.Cluster.Manifests;
using YamlDotNet.Core;

namespace KSync.Plugin.Tests.Cluster;

public sealed class YamlJsonTests
{
    [Fact]
    public void ToJson_PlainAndQuotedScalars_FollowCoreSchema()
    {
        var json = YamlJson.ToJson("a: 1\nb: \"1\"\nc: true\nd: 'true'\ne: ~\nf: 1.5\ng: text\nh: [x, 2]\ni: -3\n").Single();

        Assert.Equal("""{"a":1,"b":"1","c":true,"d":"true","e":null,"f":1.5,"g":"text","h":["x",2],"i":-3}""", json);
    }

    [Fact]
    public void ToJson_MultipleDocuments_SkipsEmpty()
    {
        var docs = YamlJson.ToJson("a: 1\n---\n---\nb: 2\n");

        Assert.Equal(["""{"a":1}""", """{"b":2}"""], docs);
    }

    [Fact]
    public void ToJson_BadYaml_ThrowsWithPosition()
    {
        var ex = Assert.ThrowsAny<YamlException>(() => YamlJson.ToJson("a: b: c\n"));
        Assert.True(ex.Start.Line > 0);
    }
}
