using KSync.Config.Validation;

namespace KSync.Plugin.Tests.Cluster;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> s_api = new() { ["app"] = "api", ["tier"] = "backend", ["example.com/team"] = "core" };

    [Theory]
    [InlineData("app=api", true)]
    [InlineData("app==api", true)]
    [InlineData("app!=api", false)]
    [InlineData("app!=web", true)]
    [InlineData("tier in (backend, frontend)", true)]
    [InlineData("tier notin (backend)", false)]
    [InlineData("tier", true)]
    [InlineData("!canary", true)]
    [InlineData("!tier", false)]
    [InlineData("example.com/team=core", true)]
    [InlineData("app=api,tier in (frontend)", false)]
    [InlineData("missing!=x", true)]
    [InlineData("missing notin (x)", true)]
    public void Matches_Expression_FollowsKubernetesSemantics(string expression, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse([expression]).Matches(s_api));
    }

    [Fact]
    public void Parse_SeveralExpressions_AreAnded()
    {
        var selector = LabelSelector.Parse(["app=api", "tier=frontend"]);

        Assert.False(selector.Matches(s_api));
        Assert.Equal("app=api,tier=frontend", selector.ToString());
    }

    [Fact]
    public void ToString_SetBased_IsCanonical()
    {
        Assert.Equal("tier in (a,b),!x,y", LabelSelector.Parse(["tier in ( a , b ),  !x , y"]).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("app=api,")]
    [InlineData("-app=x")]
    [InlineData("app=has space")]
    [InlineData("app=" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("Bad_Prefix.com/app=x")]
    [InlineData("tier in (a b)")]
    [InlineData("app=(x)")]
    public void Parse_Malformed_ThrowsNamingExpression(string expression)
    {
        var ex = Assert.Throws<FormatException>(() => LabelSelector.Parse([expression]));
        Assert.Contains("label selector", ex.Message, StringComparison.Ordinal);
    }
}
